//! Openings of committed polynomials: true claims verify; false claims, other commitments,
//! other transcripts and every tampered byte of a proof are rejected.

use agentic_pcs::{
	prover::{commit, open, Committed},
	successor, verify, Base, BinaryFieldElement, Claim, ClaimKind, Commitment, Ext, OpeningProof, Params, PcsError,
	Transcript, NODE_BYTES,
};
use codec::{Decode, Encode};

use agentic_pcs::test_utils::Rng;

fn poly(rng: &mut Rng, num_vars: u8) -> Vec<Base> {
	(0..1usize << num_vars).map(|_| rng.base()).collect()
}

fn point(rng: &mut Rng, num_vars: u8) -> Vec<Ext> {
	(0..num_vars).map(|_| rng.ext()).collect()
}

const DOMAIN: &[u8] = b"agentic-pcs-test";

/// `eq(point, idx)` straight from the definition.
fn eq_at(point: &[Ext], idx: usize) -> Ext {
	let mut eq = Ext::one();
	for (j, r) in point.iter().enumerate() {
		eq = eq.mul(&if (idx >> j) & 1 == 1 { *r } else { Ext::one().add(r) });
	}
	eq
}

/// `f(point)` straight from the definition of the multilinear extension.
fn evaluate(values: &[Base], point: &[Ext]) -> Ext {
	values.iter().enumerate().fold(Ext::zero(), |acc, (idx, v)| acc.add(&Ext::from(*v).mul(&eq_at(point, idx))))
}

/// `next(f)(point)`: the multilinear extension of `f` moved up one index (`f[i + 1]`, and 0 for
/// the last index), straight from the definition.
fn evaluate_next(values: &[Base], point: &[Ext]) -> Ext {
	let next: Vec<Base> = (0..values.len()).map(|i| values.get(i + 1).copied().unwrap_or(Base::zero())).collect();
	evaluate(&next, point)
}

fn bits(value: usize, n: u8) -> Vec<Ext> {
	(0..n).map(|j| if (value >> j) & 1 == 1 { Ext::one() } else { Ext::zero() }).collect()
}

fn prove(params: &Params, committed: &[&Committed], claims: &[Claim]) -> OpeningProof {
	open(params, committed, claims, &mut Transcript::new(DOMAIN)).expect("open")
}

fn check(params: &Params, commitments: &[Commitment], claims: &[Claim], proof: &OpeningProof) -> Result<(), PcsError> {
	verify(params, commitments, claims, proof, &mut Transcript::new(DOMAIN))
}

/// Several stacked polynomials of one size, several claims each (including boolean points), two
/// commitments: everything true verifies, and the values match the definition.
#[test]
fn true_claims_verify() {
	let mut rng = Rng(0x5eed_0001);
	for (num_vars, polys, log_leaf_width) in [(6u8, 1usize, 2u8), (6, 3, 3), (8, 5, 4), (5, 2, 1), (4, 4, 6), (3, 1, 3)]
	{
		let params = Params { log_leaf_width, num_queries: 30, grinding_bits: 0 };
		let a: Vec<Vec<Base>> = (0..polys).map(|_| poly(&mut rng, num_vars)).collect();
		let b: Vec<Vec<Base>> = (0..polys).map(|_| poly(&mut rng, num_vars)).collect();
		let ca = commit(&params, &a.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap();
		let cb = commit(&params, &b.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap();
		let mut claims = Vec::new();
		for (g, (set, committed)) in [(&a, &ca), (&b, &cb)].into_iter().enumerate() {
			for (j, values) in set.iter().enumerate() {
				for boolean in [false, true] {
					let point = if boolean {
						(0..num_vars)
							.map(|i| if (j + i as usize) % 2 == 0 { Ext::one() } else { Ext::zero() })
							.collect()
					} else {
						point(&mut rng, num_vars)
					};
					let value = evaluate(values, &point);
					assert_eq!(committed.evaluate(j as u32, ClaimKind::Eq, &point), value);
					let next = evaluate_next(values, &point);
					assert_eq!(committed.evaluate(j as u32, ClaimKind::Shifted, &point), next);
					let (commitment, poly) = (g as u32, j as u32);
					claims.push(Claim {
						commitment,
						poly,
						kind: ClaimKind::Shifted,
						point: point.clone(),
						value: next,
					});
					claims.push(Claim { commitment, poly, kind: ClaimKind::Eq, point, value });
				}
			}
		}
		let commitments = [ca.commitment(), cb.commitment()];
		let proof = prove(&params, &[&ca, &cb], &claims);
		check(&params, &commitments, &claims, &proof).unwrap_or_else(|e| panic!("n={num_vars} polys={polys}: {e}"));
		// One commitment alone, with its own claims.
		let own: Vec<Claim> = claims.iter().filter(|c| c.commitment == 0).cloned().collect();
		let proof = prove(&params, &[&ca], &own);
		check(&params, &commitments[..1], &own, &proof).unwrap();
	}
}

struct Fixture {
	params: Params,
	committed: Committed,
	other: Committed,
	claims: Vec<Claim>,
	proof: OpeningProof,
}

fn fixture() -> Fixture {
	let mut rng = Rng(0x5eed_0002);
	let params = Params { log_leaf_width: 3, num_queries: 24, grinding_bits: 0 };
	let polys: Vec<Vec<Base>> = (0..2).map(|_| poly(&mut rng, 7)).collect();
	let committed = commit(&params, &[&polys[0][..], &polys[1][..]]).unwrap();
	let other = commit(&params, &[&poly(&mut rng, 7)[..], &polys[1][..]]).unwrap();
	let claims: Vec<Claim> = (0..3)
		.map(|i| {
			let point = point(&mut rng, 7);
			let poly = i % 2;
			if i == 2 {
				let value = evaluate_next(&polys[poly as usize], &point);
				Claim { commitment: 0, poly, kind: ClaimKind::Shifted, value, point }
			} else {
				let value = evaluate(&polys[poly as usize], &point);
				Claim { commitment: 0, poly, kind: ClaimKind::Eq, value, point }
			}
		})
		.collect();
	let proof = prove(&params, &[&committed], &claims);
	check(&params, &[committed.commitment()], &claims, &proof).unwrap();
	Fixture { params, committed, other, claims, proof }
}

/// An honest prover run on a false claim produces a proof the verifier rejects, whichever
/// claim is false and however it is false.
#[test]
fn false_claims_are_rejected() {
	let f = fixture();
	let c = f.committed.commitment();
	let mut rng = Rng(0x5eed_0003);
	for i in 0..f.claims.len() {
		let mut lies: Vec<Vec<Claim>> = Vec::new();
		let mut wrong_value = f.claims.clone();
		wrong_value[i].value = wrong_value[i].value.add(&Ext::one());
		lies.push(wrong_value);
		let mut other_poly = f.claims.clone();
		other_poly[i].poly ^= 1;
		lies.push(other_poly);
		let mut other_point = f.claims.clone();
		other_point[i].point[3] = rng.ext();
		lies.push(other_point);
		// The same value claimed as the other kind (a row's value as its next row's).
		let mut other_kind = f.claims.clone();
		other_kind[i].kind = match other_kind[i].kind {
			ClaimKind::Eq => ClaimKind::Shifted,
			ClaimKind::Shifted => ClaimKind::Eq,
			ClaimKind::Tensor | ClaimKind::Packed => ClaimKind::Eq,
		};
		lies.push(other_kind);
		for claims in lies {
			let proof = prove(&f.params, &[&f.committed], &claims);
			assert!(check(&f.params, &[c.clone()], &claims, &proof).is_err(), "a false claim verified");
			// Nor does the honest proof of the true claims pass for the false ones.
			assert!(check(&f.params, &[c.clone()], &claims, &f.proof).is_err());
		}
	}
	// A claim on a polynomial the commitment does not have does not exist; claims with short
	// points do not either.
	let mut bad = f.claims.clone();
	bad[0].poly = 2;
	assert_eq!(check(&f.params, &[c.clone()], &bad, &f.proof), Err(PcsError::BadClaim("no such polynomial")));
	let mut short = f.claims.clone();
	short[0].point.pop();
	assert!(matches!(check(&f.params, &[c.clone()], &short, &f.proof), Err(PcsError::BadClaim(_))));
	assert!(matches!(check(&f.params, &[c.clone()], &[], &f.proof), Err(PcsError::BadClaim(_))));
}

/// The proof is bound to its commitment, parameters and transcript.
#[test]
fn proofs_are_bound_to_commitment_parameters_and_transcript() {
	let f = fixture();
	// Another commitment (one of its polynomials is the same).
	assert!(check(&f.params, &[f.other.commitment()], &f.claims, &f.proof).is_err());
	// A claim about the shared polynomial, proven against the other commitment: true claims
	// about what that commitment holds, but the proof was made for the first one.
	let shared: Vec<Claim> = f.claims.iter().filter(|c| c.poly == 1).cloned().collect();
	let proof = prove(&f.params, &[&f.committed], &shared);
	assert!(check(&f.params, &[f.other.commitment()], &shared, &proof).is_err());
	// Other parameters.
	for params in [Params { num_queries: 23, ..f.params }, Params { log_leaf_width: 4, ..f.params }] {
		assert!(check(&params, &[f.committed.commitment()], &f.claims, &f.proof).is_err());
	}
	// Another transcript state (a caller that absorbed something else first).
	let mut t = Transcript::new(DOMAIN);
	t.absorb_u64(b"caller/statement", 1);
	assert!(verify(&f.params, &[f.committed.commitment()], &f.claims, &f.proof, &mut t).is_err());
	assert!(
		verify(&f.params, &[f.committed.commitment()], &f.claims, &f.proof, &mut Transcript::new(b"other")).is_err()
	);
	// A commitment with another stated shape.
	for num_vars in [vec![7, 7, 7], vec![7, 7, 6], vec![7, 7, 0]] {
		let reshaped = Commitment { num_vars, ..f.committed.commitment() };
		assert!(check(&f.params, &[reshaped], &f.claims, &f.proof).is_err());
	}
}

/// Every single flipped bit of the encoded proof makes it fail to decode or to verify.
#[test]
fn every_tampered_byte_is_rejected() {
	let f = fixture();
	let c = [f.committed.commitment()];
	let bytes = f.proof.encode();
	let mut accepted = Vec::new();
	for i in 0..bytes.len() {
		for bit in [0u8, 5] {
			let mut tampered = bytes.clone();
			tampered[i] ^= 1 << bit;
			let Ok(proof) = OpeningProof::decode(&mut &tampered[..]) else { continue };
			if check(&f.params, &c, &f.claims, &proof).is_ok() {
				accepted.push((i, bit));
			}
		}
	}
	assert!(
		accepted.is_empty(),
		"{} of {} tampered proofs verified: {:?}",
		accepted.len(),
		bytes.len() * 2,
		&accepted[..accepted.len().min(10)]
	);
}

/// Structural damage (missing or extra parts) is refused with an error, never a panic.
#[test]
fn malformed_proofs_are_refused_without_panicking() {
	let f = fixture();
	let c = [f.committed.commitment()];
	let mutations: Vec<Box<dyn Fn(&mut OpeningProof)>> = vec![
		Box::new(|p: &mut OpeningProof| {
			p.sumcheck.pop();
		}),
		Box::new(|p: &mut OpeningProof| p.sumcheck.push([0; 2])),
		Box::new(|p: &mut OpeningProof| p.evaluations.push(0)),
		Box::new(|p: &mut OpeningProof| p.evaluations.clear()),
		Box::new(|p: &mut OpeningProof| {
			p.combined_row.pop();
		}),
		Box::new(|p: &mut OpeningProof| p.combined_row.push(0)),
		Box::new(|p: &mut OpeningProof| p.openings.clear()),
		Box::new(|p: &mut OpeningProof| p.openings.push(p.openings[0].clone())),
		Box::new(|p: &mut OpeningProof| {
			p.openings[0].rows.pop();
		}),
		Box::new(|p: &mut OpeningProof| p.openings[0].rows[0].push(0)),
		Box::new(|p: &mut OpeningProof| {
			p.openings[0].rows[3].pop();
		}),
		Box::new(|p: &mut OpeningProof| p.openings[0].rows.swap(0, 1)),
		Box::new(|p: &mut OpeningProof| {
			p.openings[0].siblings.pop();
		}),
		Box::new(|p: &mut OpeningProof| p.openings[0].siblings.push([0; NODE_BYTES])),
		Box::new(|p: &mut OpeningProof| p.openings[0].siblings.clear()),
	];
	for (i, mutate) in mutations.iter().enumerate() {
		let mut proof = f.proof.clone();
		mutate(&mut proof);
		assert!(check(&f.params, &c, &f.claims, &proof).is_err(), "mutation {i} verified");
	}
	// Shapes no commitment can have (a leaf width whose `1 << w` overflows a 32-bit usize, no
	// queries, too many queries), and claimed polynomial counts the commitment cannot hold.
	for params in [
		Params { log_leaf_width: 40, num_queries: 10, grinding_bits: 0 },
		Params { log_leaf_width: 21, num_queries: 10, grinding_bits: 0 },
		Params { log_leaf_width: 3, num_queries: 0, grinding_bits: 0 },
		Params { log_leaf_width: 3, num_queries: 1025, grinding_bits: 0 },
	] {
		assert!(matches!(check(&params, &c, &f.claims, &f.proof), Err(PcsError::BadShape(_))));
	}
	for num_vars in [vec![], vec![7, 31], vec![7, 200], vec![1, 1], vec![0; agentic_pcs::MAX_POLYS + 1]] {
		let wrong = Commitment { num_vars, ..c[0].clone() };
		assert!(matches!(check(&f.params, &[wrong], &f.claims, &f.proof), Err(PcsError::BadShape(_))));
	}
	assert!(matches!(check(&f.params, &[], &f.claims, &f.proof), Err(PcsError::BadShape(_))));
}

/// The successor polynomial: 1 exactly on (x, x + 1) over the cube, its sum over `y` is
/// `not_last(x)`, and it agrees with the prover's shifted eq table.
#[test]
fn the_successor_polynomial_is_the_next_row_relation() {
	for n in 1u8..=4 {
		for x in 0..1usize << n {
			for y in 0..1usize << n {
				let want = if y == x + 1 { Ext::one() } else { Ext::zero() };
				assert_eq!(successor(&bits(x, n), &bits(y, n)), want, "n={n} x={x} y={y}");
			}
		}
	}
	let mut rng = Rng(0x5eed_0005);
	for n in [1u8, 3, 6] {
		let r = point(&mut rng, n);
		let s = point(&mut rng, n);
		let not_last = Ext::one().add(&r.iter().fold(Ext::one(), |acc, x| acc.mul(x)));
		let sum = (0..1usize << n).fold(Ext::zero(), |acc, y| acc.add(&successor(&r, &bits(y, n))));
		assert_eq!(sum, not_last);
		// S(r, s) = Σ_y eq(r, y - 1) eq(s, y).
		let table = (1..1usize << n).fold(Ext::zero(), |acc, y| acc.add(&eq_at(&r, y - 1).mul(&eq_at(&s, y))));
		assert_eq!(successor(&r, &s), table);
	}
}

/// Shifted claims are taken in each polynomial's own index space. Where a polynomial's next
/// index starts a new matrix row, the next value is that polynomial's; at its last index, the
/// next value is 0, not the first value of the polynomial stacked after it: the neighbour's
/// value is a false claim and is rejected, for every leaf width.
#[test]
fn shifted_claims_stay_inside_their_polynomial() {
	let mut rng = Rng(0x5eed_0006);
	let n = 5u8;
	let polys: Vec<Vec<Base>> = (0..2).map(|_| poly(&mut rng, n)).collect();
	for w in [0u8, 1, n - 1, n, n + 1] {
		let params = Params { log_leaf_width: w, num_queries: 30, grinding_bits: 0 };
		let committed = commit(&params, &[&polys[0][..], &polys[1][..]]).unwrap();
		let c = [committed.commitment()];
		// The last index of polynomial 0's first matrix row (if a row is shorter than the
		// polynomial); its successor starts the next row.
		if w < n {
			let last_in_row = (1usize << w) - 1;
			let point = bits(last_in_row, n);
			let truth = Ext::from(polys[0][last_in_row + 1]);
			let claim = Claim { commitment: 0, poly: 0, kind: ClaimKind::Shifted, point, value: truth };
			let proof = prove(&params, &[&committed], &[claim.clone()]);
			check(&params, &c, &[claim], &proof).unwrap_or_else(|e| panic!("w={w}: {e}"));
		}
		// The last index has no successor: its next value is 0, not the next polynomial's first.
		let last = bits((1 << n) - 1, n);
		for (value, ok) in [(Ext::zero(), true), (Ext::from(polys[1][0]), false), (Ext::from(polys[0][0]), false)] {
			let claim = Claim { commitment: 0, poly: 0, kind: ClaimKind::Shifted, point: last.clone(), value };
			let proof = prove(&params, &[&committed], &[claim.clone()]);
			assert_eq!(check(&params, &c, &[claim], &proof).is_ok(), ok, "w={w}, value {value:?}");
		}
	}
}

/// Polynomials of different sizes stack into one commitment: every claim on each of them
/// verifies (two commitments of the same shape, every leaf width), a claim naming the wrong
/// polynomial of the right size is rejected, and so is a commitment that states the sizes in
/// another order.
#[test]
fn polynomials_of_different_sizes_stack() {
	let mut rng = Rng(0x5eed_0007);
	let sizes = [5u8, 2, 7, 0, 3, 7, 2];
	let a: Vec<Vec<Base>> = sizes.iter().map(|&n| poly(&mut rng, n)).collect();
	let b: Vec<Vec<Base>> = sizes.iter().map(|&n| poly(&mut rng, n)).collect();
	// 2^7 + 2^7 + 2^5 + 2^3 + 2 · 2^2 + 1 = 305 values: 9 variables, the last 207 zero.
	for w in [0u8, 2, 3, 6, 9] {
		let params = Params { log_leaf_width: w, num_queries: 40, grinding_bits: 0 };
		let ca = commit(&params, &a.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap();
		let cb = commit(&params, &b.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap();
		assert_eq!((ca.layout().total_vars, ca.layout().used), (9, 305));
		let mut claims = Vec::new();
		for (g, set) in [&a, &b].into_iter().enumerate() {
			for (j, values) in set.iter().enumerate() {
				let n = sizes[j];
				for boolean in [false, true] {
					let point = if boolean { bits(j * 5 % (1 << n), n) } else { point(&mut rng, n) };
					let (commitment, poly) = (g as u32, j as u32);
					let value = evaluate(values, &point);
					assert_eq!([&ca, &cb][g].evaluate(poly, ClaimKind::Eq, &point), value);
					claims.push(Claim { commitment, poly, kind: ClaimKind::Eq, point: point.clone(), value });
					let value = evaluate_next(values, &point);
					claims.push(Claim { commitment, poly, kind: ClaimKind::Shifted, point, value });
				}
			}
		}
		let commitments = [ca.commitment(), cb.commitment()];
		let proof = prove(&params, &[&ca, &cb], &claims);
		check(&params, &commitments, &claims, &proof).unwrap_or_else(|e| panic!("w={w}: {e}"));
		assert_eq!(proof.combined_row.len(), 305usize.div_ceil(1 << w), "w={w}: the zero rows are not sent");
		// Polynomials 1 and 6 have the same size: a claim on one, stated as the other's, is false.
		for i in [4, 25] {
			let mut wrong = claims.clone();
			let (poly, value) = (wrong[i].poly, wrong[i].value);
			wrong[i].poly = if poly == 1 { 6 } else { 1 };
			assert!(matches!(poly, 1 | 6), "claim {i} is on polynomial {poly}");
			assert_ne!(value, Ext::zero());
			let proof = prove(&params, &[&ca, &cb], &wrong);
			assert!(check(&params, &commitments, &wrong, &proof).is_err(), "w={w}: claim {i} on the other polynomial");
		}
		// A commitment stating the same sizes in another order is another statement.
		let mut reordered = commitments.clone();
		for c in reordered.iter_mut() {
			c.num_vars.swap(0, 4);
		}
		let moved: Vec<Claim> = claims.iter().filter(|c| c.poly != 0 && c.poly != 4).cloned().collect();
		let proof = prove(&params, &[&ca, &cb], &moved);
		check(&params, &commitments, &moved, &proof).unwrap();
		assert!(check(&params, &reordered, &moved, &proof).is_err(), "w={w}: another order");
	}
}

/// A stack whose polynomials do not fill its matrix (sizes 2^7, 2^5, 2^2 and 2^0: 165 of 256
/// values, 21 of 32 rows at leaves of 2^3): every flipped bit of its proof is rejected, and so
/// is a combined row sent with its zero rows, or one row short.
#[test]
fn a_stack_with_zero_rows_rejects_tampering() {
	let mut rng = Rng(0x5eed_0008);
	let sizes = [7u8, 5, 2, 0];
	let polys: Vec<Vec<Base>> = sizes.iter().map(|&n| poly(&mut rng, n)).collect();
	let params = Params { log_leaf_width: 3, num_queries: 24, grinding_bits: 0 };
	let committed = commit(&params, &polys.iter().map(|p| &p[..]).collect::<Vec<_>>()).unwrap();
	assert_eq!((committed.layout().rows(), committed.layout().used_rows()), (32, 21));
	let mut claims = Vec::new();
	for (j, values) in polys.iter().enumerate() {
		let point = point(&mut rng, sizes[j]);
		let value = evaluate(values, &point);
		claims.push(Claim { commitment: 0, poly: j as u32, kind: ClaimKind::Eq, point: point.clone(), value });
		let value = evaluate_next(values, &point);
		claims.push(Claim { commitment: 0, poly: j as u32, kind: ClaimKind::Shifted, point, value });
	}
	let c = [committed.commitment()];
	let proof = prove(&params, &[&committed], &claims);
	check(&params, &c, &claims, &proof).unwrap();
	assert_eq!(proof.combined_row.len(), 21);
	for rows in [32, 22, 20] {
		let mut wrong = proof.clone();
		wrong.combined_row.resize(rows, 0);
		assert_eq!(check(&params, &c, &claims, &wrong), Err(PcsError::Malformed("combined row length")), "{rows} rows");
	}
	let bytes = proof.encode();
	for i in 0..bytes.len() {
		for bit in [0u8, 6] {
			let mut tampered = bytes.clone();
			tampered[i] ^= 1 << bit;
			let Ok(decoded) = OpeningProof::decode(&mut &tampered[..]) else { continue };
			assert!(check(&params, &c, &claims, &decoded).is_err(), "byte {i} bit {bit} flipped verified");
		}
	}
}

/// Bit columns packed 32 to a polynomial (and 5 in another), committed beside an ordinary
/// polynomial: their values at a point, reduced by ring switching, open with the ordinary
/// claims; a bit column's value changed, two changed so that their packed sum is kept, a bit
/// moved to another column or a column that is not boolean are all rejected.
#[test]
fn packed_bit_columns_open_and_lies_about_them_are_rejected() {
	use agentic_pcs::{pack, ring_switch, PackedClaim};
	let mut rng = Rng(0x5eed_0009);
	let n = 6u8;
	let params = Params { log_leaf_width: 3, num_queries: 30, grinding_bits: 0 };
	let bit = |rng: &mut Rng| Base::from_value(rng.base().poly().value() & 1);
	let mut columns: Vec<Vec<Base>> = (0..37).map(|_| (0..1 << n).map(|_| bit(&mut rng)).collect()).collect();
	(columns[2][5], columns[7][5]) = (Base::one(), Base::zero());
	let plain = poly(&mut rng, n);
	let r = point(&mut rng, n);
	let prove_bits = |columns: &[Vec<Base>], claimed: &[Vec<Ext>]| -> Result<(), PcsError> {
		let refs: Vec<&[Base]> = columns.iter().map(|c| &c[..]).collect();
		let packs = [pack(&refs[..32]).unwrap(), pack(&refs[32..]).unwrap()];
		let committed = commit(&params, &[&plain, &packs[0], &packs[1]]).unwrap();
		let packed: Vec<PackedClaim> = claimed
			.iter()
			.enumerate()
			.map(|(k, values)| PackedClaim {
				commitment: 0,
				poly: 1 + k as u32,
				point: r.clone(),
				values: values.clone(),
			})
			.collect();
		let plain_claim =
			Claim { commitment: 0, poly: 0, kind: ClaimKind::Eq, point: r.clone(), value: evaluate(&plain, &r) };
		let mut transcript = Transcript::new(DOMAIN);
		let mut claims = vec![plain_claim.clone()];
		claims.extend(ring_switch(&mut transcript, &packed).unwrap());
		let proof = open(&params, &[&committed], &claims, &mut transcript).expect("open");
		let mut transcript = Transcript::new(DOMAIN);
		let mut claims = vec![plain_claim];
		claims.extend(ring_switch(&mut transcript, &packed)?);
		verify(&params, &[committed.commitment()], &claims, &proof, &mut transcript)
	};
	let honest: Vec<Vec<Ext>> = vec![
		columns[..32].iter().map(|c| evaluate(c, &r)).collect(),
		columns[32..].iter().map(|c| evaluate(c, &r)).collect(),
	];
	assert_eq!(prove_bits(&columns, &honest), Ok(()));
	// Fewer values than the pack has columns: the missing ones are claimed zero, as they are.
	let mut zeros = columns.clone();
	zeros[36] = vec![Base::zero(); 1 << n];
	let mut short = honest.clone();
	short[1].pop();
	assert_eq!(prove_bits(&zeros, &short), Ok(()));
	assert!(prove_bits(&columns, &short).is_err(), "a nonzero column left out");

	for (pack_index, v) in [(0usize, 0usize), (0, 31), (1, 4)] {
		let mut wrong = honest.clone();
		wrong[pack_index][v] = wrong[pack_index][v].add(&Ext::one());
		assert!(prove_bits(&columns, &wrong).is_err(), "pack {pack_index} column {v} changed");
	}
	// Columns 3 and 9 changed by δ·ι(x^9) and δ·ι(x^3): Σ_v ι(x^v) s_v is the same.
	let delta = rng.ext();
	let mut compensated = honest.clone();
	compensated[0][3] = compensated[0][3].add(&delta.mul(&Ext::from(Base::from_value(1 << 9))));
	compensated[0][9] = compensated[0][9].add(&delta.mul(&Ext::from(Base::from_value(1 << 3))));
	assert!(prove_bits(&columns, &compensated).is_err(), "a compensated change");
	// The bit of row 5 moved from column 2 to column 7 of the commitment, the claims those of
	// the columns before.
	let mut moved = columns.clone();
	moved[2][5] = Base::zero();
	moved[7][5] = Base::one();
	assert!(prove_bits(&moved, &honest).is_err(), "a bit moved between columns");
	// A column with a 2 is committed by its low bit: its true value is not what opens.
	let mut two = columns.clone();
	two[1][0] = Base::from_value(2);
	let claimed: Vec<Vec<Ext>> =
		vec![two[..32].iter().map(|c| evaluate(c, &r)).collect(), two[32..].iter().map(|c| evaluate(c, &r)).collect()];
	assert!(prove_bits(&two, &claimed).is_err(), "a column that is not boolean");
}
