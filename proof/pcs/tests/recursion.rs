//! Recursive openings: true claims verify at every number of levels; false claims, other
//! transcripts, proofs with levels added or removed and tampered bytes are rejected.

use agentic_pcs::{
	prover::{commit, open, open_recursive, Committed},
	test_utils::Rng,
	verify_recursive, Base, BinaryFieldElement, Claim, ClaimKind, Commitment, Ext, Params, PcsError,
	RecursiveOpeningProof, Transcript, MAX_LEVELS,
};
use codec::{Decode, Encode};

const DOMAIN: &[u8] = b"agentic-pcs-recursion-test";

fn poly(rng: &mut Rng, num_vars: u8) -> Vec<Base> {
	(0..1usize << num_vars).map(|_| rng.base()).collect()
}

struct Case {
	params: Params,
	committed: Vec<Committed>,
	claims: Vec<Claim>,
}

impl Case {
	/// Two commitments of polynomials of sizes `sizes`, an `Eq` and a `Shifted` claim on each
	/// polynomial of the first and one `Eq` claim per polynomial of the second.
	fn new(seed: u64, sizes: &[u8], log_leaf_width: u8, num_queries: u16) -> Case {
		let mut rng = Rng(seed);
		let params = Params { log_leaf_width, num_queries, grinding_bits: 4 };
		let committed: Vec<Committed> = (0..2)
			.map(|_| {
				let polys: Vec<Vec<Base>> = sizes.iter().map(|&n| poly(&mut rng, n)).collect();
				commit(&params, &polys.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap()
			})
			.collect();
		let mut claims = Vec::new();
		for (g, c) in committed.iter().enumerate() {
			for (j, &n) in sizes.iter().enumerate() {
				let kinds: &[ClaimKind] = if g == 0 { &[ClaimKind::Eq, ClaimKind::Shifted] } else { &[ClaimKind::Eq] };
				for &kind in kinds {
					let point: Vec<Ext> = (0..n).map(|_| rng.ext()).collect();
					let value = c.evaluate(j as u32, kind, &point);
					claims.push(Claim { commitment: g as u32, poly: j as u32, kind, point, value });
				}
			}
		}
		Case { params, committed, claims }
	}

	fn commitments(&self) -> Vec<Commitment> {
		self.committed.iter().map(|c| c.commitment()).collect()
	}

	fn prove(&self, claims: &[Claim]) -> RecursiveOpeningProof {
		let committed: Vec<&Committed> = self.committed.iter().collect();
		open_recursive(&self.params, &committed, claims, &mut Transcript::new(DOMAIN)).unwrap()
	}

	fn check(&self, claims: &[Claim], proof: &RecursiveOpeningProof) -> Result<(), PcsError> {
		verify_recursive(&self.params, &self.commitments(), claims, proof, &mut Transcript::new(DOMAIN))
	}
}

/// Shapes whose schedules have no, one and several committed levels all verify.
#[test]
fn true_claims_verify_at_every_number_of_levels() {
	let mut seen = [false; MAX_LEVELS];
	for (seed, sizes, w, q) in [
		(1u64, &[6u8, 3][..], 2u8, 20u16),
		(2, &[12, 10, 10], 4, 8),
		(3, &[13], 3, 6),
		(4, &[14, 12], 3, 6),
		(5, &[9, 9, 9, 2], 3, 10),
	] {
		let case = Case::new(seed, sizes, w, q);
		let proof = case.prove(&case.claims);
		assert_eq!(case.check(&case.claims, &proof), Ok(()), "sizes {sizes:?}, w {w}, Q {q}");
		seen[proof.levels.len()] = true;
		// Decoding gives the same proof.
		let bytes = proof.encode();
		assert_eq!(RecursiveOpeningProof::decode(&mut &bytes[..]).unwrap(), proof);
	}
	assert!(seen[0] && seen[1] && seen[2], "levels seen: {seen:?}");
}

/// A false claim, proven by the honest prover, is rejected, and so is the true proof for it.
#[test]
fn false_claims_are_rejected() {
	let case = Case::new(7, &[12, 10, 10], 4, 8);
	let proof = case.prove(&case.claims);
	assert!(!proof.levels.is_empty());
	for i in 0..case.claims.len() {
		let mut lie = case.claims.clone();
		lie[i].value = lie[i].value.add(&Ext::one());
		assert!(case.check(&lie, &case.prove(&lie)).is_err(), "claim {i} made false verified");
		assert!(case.check(&lie, &proof).is_err(), "the true proof verified claim {i} made false");
	}
}

/// The proof is bound to its transcript and its first level's parameters, and a one-level
/// opening is not a recursive one.
#[test]
fn proofs_are_bound_to_transcript_and_parameters() {
	let case = Case::new(8, &[12, 10, 10], 4, 8);
	let proof = case.prove(&case.claims);
	let commitments = case.commitments();
	let mut other = Transcript::new(DOMAIN);
	other.absorb_u64(b"caller/statement", 1);
	assert!(verify_recursive(&case.params, &commitments, &case.claims, &proof, &mut other).is_err());
	for params in [
		Params { num_queries: 9, ..case.params },
		Params { log_leaf_width: 5, ..case.params },
		Params { grinding_bits: 5, ..case.params },
		Params { grinding_bits: 0, ..case.params },
	] {
		let verdict = verify_recursive(&params, &commitments, &case.claims, &proof, &mut Transcript::new(DOMAIN));
		assert!(verdict.is_err(), "{params:?}");
	}
	// A shape whose schedule sends the first row: the one-level opening of the same claims is
	// the recursive proof's last level, and it is still refused (another transcript).
	let short = Case::new(9, &[6, 3], 2, 20);
	let committed: Vec<&Committed> = short.committed.iter().collect();
	let one = open(&short.params, &committed, &short.claims, &mut Transcript::new(DOMAIN)).unwrap();
	let proof = short.prove(&short.claims);
	assert!(proof.levels.is_empty());
	assert_eq!(short.check(&short.claims, &proof), Ok(()));
	let wrapped = RecursiveOpeningProof { levels: Vec::new(), last: one };
	assert!(short.check(&short.claims, &wrapped).is_err());
}

/// Every level's nonce is checked: another nonce either proves no work (refused as such) or
/// draws other queries, which the opened leaves do not answer.
#[test]
fn every_level_proves_its_work() {
	let case = Case::new(11, &[14, 12], 3, 6);
	let proof = case.prove(&case.claims);
	assert!(proof.levels.len() >= 2, "{} levels", proof.levels.len());
	let mut not_enough = 0;
	for level in 0..=proof.levels.len() {
		for change in [1u64, 2, 1 << 20, u64::MAX] {
			let mut other = proof.clone();
			let nonce = match other.levels.get_mut(level) {
				Some(committed) => &mut committed.nonce,
				None => &mut other.last.nonce,
			};
			*nonce ^= change;
			let verdict = case.check(&case.claims, &other);
			assert!(verdict.is_err(), "level {level}, nonce ^ {change:#x} verified");
			not_enough += usize::from(verdict == Err(PcsError::NotEnoughWork));
		}
	}
	// With 4 bits of work, about 15 of 16 other nonces prove none.
	assert!(not_enough >= 6, "{not_enough} nonces refused for want of work");
}

/// A level's work is done on its row root: another root with the same nonce proves no work (so
/// a prover cannot re-draw a level's queries by changing its row at one hash each).
#[test]
fn the_work_follows_the_row_root() {
	let mut case = Case::new(12, &[14, 12], 3, 6);
	case.params.grinding_bits = 8;
	let proof = case.prove(&case.claims);
	assert!(proof.levels.len() >= 2, "{} levels", proof.levels.len());
	assert_eq!(case.check(&case.claims, &proof), Ok(()));
	let mut not_enough = 0;
	let mut trials = 0;
	for level in 0..proof.levels.len() {
		for byte in 0..8 {
			let mut other = proof.clone();
			other.levels[level].row_root[byte] ^= 0x5a;
			trials += 1;
			not_enough += usize::from(case.check(&case.claims, &other) == Err(PcsError::NotEnoughWork));
		}
	}
	// With 8 bits, a nonce proves work on another root once in 256 tries.
	assert!(not_enough + 1 >= trials, "{not_enough} of {trials} other roots refused for want of work");
}

/// Levels dropped, repeated or swapped, and parts moved between levels, are refused with an
/// error, never a panic.
#[test]
fn proofs_with_other_levels_are_refused() {
	let case = Case::new(10, &[14, 12], 3, 6);
	let proof = case.prove(&case.claims);
	assert!(proof.levels.len() >= 2, "{} levels", proof.levels.len());
	let mut variants: Vec<(&str, RecursiveOpeningProof)> = Vec::new();
	let mut dropped = proof.clone();
	dropped.levels.pop();
	variants.push(("last committed level dropped", dropped));
	let mut first_dropped = proof.clone();
	first_dropped.levels.remove(0);
	variants.push(("first level dropped", first_dropped));
	let mut repeated = proof.clone();
	repeated.levels.push(proof.levels[proof.levels.len() - 1].clone());
	variants.push(("a level repeated", repeated));
	let mut swapped = proof.clone();
	swapped.levels.swap(0, 1);
	variants.push(("levels swapped", swapped));
	let mut too_many = proof.clone();
	while too_many.levels.len() < MAX_LEVELS {
		too_many.levels.push(proof.levels[0].clone());
	}
	variants.push(("more than MAX_LEVELS", too_many));
	let mut roots = proof.clone();
	roots.levels[1].row_root = proof.levels[0].row_root;
	variants.push(("another level's root", roots));
	let mut openings = proof.clone();
	openings.levels[1].openings = proof.levels[0].openings.clone();
	variants.push(("another level's leaves", openings));
	let mut no_openings = proof.clone();
	no_openings.levels[0].openings.clear();
	variants.push(("no leaves", no_openings));
	let mut short_rows = proof.clone();
	short_rows.levels[1].openings[0].rows[0].pop();
	variants.push(("a short leaf", short_rows));
	let mut sumcheck = proof.clone();
	sumcheck.levels[1].sumcheck.pop();
	variants.push(("a short sumcheck", sumcheck));
	let mut evaluations = proof.clone();
	evaluations.levels[0].evaluations.push(0);
	variants.push(("an extra evaluation", evaluations));
	let mut last_row = proof.clone();
	last_row.last.combined_row.push(0);
	variants.push(("a longer last row", last_row));
	for (what, variant) in variants {
		assert!(case.check(&case.claims, &variant).is_err(), "{what} verified");
	}
}

/// Flipped bits anywhere in a proof with two committed levels make it fail to decode or to
/// verify (every byte of its levels' sumchecks, evaluations, roots and last level; a stride
/// through the leaves and siblings).
#[test]
fn tampered_bytes_are_rejected() {
	let case = Case::new(11, &[14, 12], 3, 6);
	let proof = case.prove(&case.claims);
	assert!(proof.levels.len() >= 2);
	let bytes = proof.encode();
	let mut accepted = Vec::new();
	let mut tried = 0;
	for i in (0..bytes.len()).filter(|i| i % 5 == 0 || *i < 2048 || *i + 4096 > bytes.len()) {
		for bit in [0u8, 6] {
			let mut tampered = bytes.clone();
			tampered[i] ^= 1 << bit;
			tried += 1;
			let Ok(proof) = RecursiveOpeningProof::decode(&mut &tampered[..]) else { continue };
			if case.check(&case.claims, &proof).is_ok() {
				accepted.push((i, bit));
			}
		}
	}
	assert!(
		accepted.is_empty(),
		"{} of {tried} tampered proofs verified: {:?}",
		accepted.len(),
		&accepted[..accepted.len().min(10)]
	);
}
