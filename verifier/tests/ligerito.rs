//! Ligerito-mode verifier: honest runs verify, and agree with re-execution on everything the
//! submission states; every tampered part of the claim or the evidence is rejected with its
//! own error, including consistent lies (commitments and roots recomputed) that only the proof
//! can refuse.

use agentic_example_agents as examples;
use agentic_polkavm_proof::program::ProgramTable;
use agentic_primitives::{
	inputs_commitment, outputs_commitment,
	state::{StateTree, WitnessError, WitnessPage, PAGE_SIZE},
	Evidence, Input, Inputs, LigeritoEvidence, Output, RejectionReason,
};
use agentic_verifier::{
	ligerito::{build_evidence, program_table, verify_with_table, Execution},
	program::Program,
	reexec, Claim, VerifyError,
};
use sp_core::bounded::BoundedVec;

const LIMIT: u64 = 1 << 20;

fn inputs(list: &[&[u8]]) -> Inputs {
	Inputs::try_from(list.iter().map(|i| Input::try_from(i.to_vec()).expect("short")).collect::<Vec<_>>()).expect("few")
}

struct Case {
	program: Vec<u8>,
	table: ProgramTable,
	state: StateTree,
	exec: Execution,
	claim: Claim,
}

impl Case {
	fn verify(&self, claim: &Claim, evidence: &LigeritoEvidence) -> Result<(), VerifyError> {
		verify_with_table(&self.table, claim, evidence)
	}

	/// The claim for this evidence with every commitment and the new root recomputed from it:
	/// a lie in the evidence that only the proof can refuse.
	fn consistent_claim(&self, evidence: &LigeritoEvidence) -> Claim {
		let mut new_state = self.state.clone();
		for page in evidence.written.iter() {
			new_state.set_page(page.index, page.data).expect("in range");
		}
		Claim {
			new_root: new_state.root(),
			inputs_commitment: inputs_commitment(&evidence.inputs),
			outputs_commitment: outputs_commitment(&evidence.outputs),
			..self.claim
		}
	}
}

fn case(program: Vec<u8>, state: StateTree, ins: &[&[u8]], time: Option<u64>) -> Case {
	let table = program_table(&program).expect("inside the v1 subset");
	let exec = build_evidence(&table, &state, inputs(ins), time, LIMIT).expect("proves");
	let claim = Claim {
		state_depth: state.depth(),
		old_root: state.root(),
		new_root: exec.new_state.root(),
		steps: exec.steps,
		inputs_commitment: inputs_commitment(&exec.evidence.inputs),
		outputs_commitment: outputs_commitment(&exec.evidence.outputs),
		time,
	};
	Case { program, table, state, exec, claim }
}

/// The counter's three inputs on a state whose counter starts at 41.
fn counter_case() -> Case {
	let mut state = StateTree::new(examples::depth::COUNTER).expect("depth");
	let mut page = [0u8; PAGE_SIZE];
	page[..8].copy_from_slice(&41u64.to_le_bytes());
	state.set_page(0, page).expect("page 0");
	case(examples::counter(), state, &[b"", &5u64.to_le_bytes(), b"x"], None)
}

/// The chain's parameters: 100-bit openings (207 queries and 16 bits of work per level, see
/// `agentic_pcs`'s constants test) and the stack bound.
#[test]
fn the_chains_config_is_the_secure_one() {
	let config = agentic_verifier::ligerito::config();
	assert_eq!(config.num_queries, agentic_zerocheck::SECURE_NUM_QUERIES_RECURSIVE);
	assert_eq!(config.grinding_bits, agentic_zerocheck::SECURE_GRINDING_BITS);
	assert_eq!((config.num_queries, config.grinding_bits), (207, 16));
	assert_eq!(config.max_stacked_values, 1 << 26);
}

/// The same run's re-execution evidence states the same transition.
#[test]
fn the_counter_verifies_and_agrees_with_reexecution() {
	let c = counter_case();
	assert_eq!(c.verify(&c.claim, &c.exec.evidence), Ok(()));
	let evidence = Evidence::Ligerito(c.exec.evidence.clone());
	assert_eq!(agentic_verifier::verify(&c.program, &c.claim, &evidence), Ok(()));
	let outputs: Vec<u64> = c
		.exec
		.evidence
		.outputs
		.iter()
		.map(|o| u64::from_le_bytes(o.data.clone().try_into().expect("8 bytes")))
		.collect();
	assert_eq!(outputs, [42, 47, 48]);

	let loaded = Program::load(&c.program).expect("an agent");
	let reexec = reexec::build_evidence(&loaded, &c.state, inputs(&[b"", &5u64.to_le_bytes(), b"x"]), None, LIMIT)
		.expect("runs");
	let a = c.exec.submission(7, 0, None);
	let b = reexec.submission(7, 0, None);
	assert_eq!(
		(a.old_root, a.new_root, a.steps, a.inputs_commitment, a.outputs_commitment),
		(b.old_root, b.new_root, b.steps, b.inputs_commitment, b.outputs_commitment)
	);
	assert_eq!(c.exec.evidence.witness, reexec.evidence.witness, "the same touched pages and multiproof");
}

/// A token ledger whose transfers touch several pages, an agent that reads the time, and an
/// agent that touches no state page (an empty witness, the new root the old one).
#[test]
fn other_agents_verify() {
	let ledger =
		|from: u64, to: u64, amount: u64| [from.to_le_bytes(), to.to_le_bytes(), amount.to_le_bytes()].concat();
	let cases = [
		case(
			examples::token_ledger(),
			StateTree::new(examples::depth::TOKEN_LEDGER).expect("depth"),
			&[&ledger(u64::MAX, 3, 100), &ledger(3, 300, 40), &ledger(300, 3, 41)],
			None,
		),
		case(
			examples::clock(),
			StateTree::new(examples::depth::CLOCK).expect("depth"),
			&[b""],
			Some(1_700_000_000_000),
		),
	];
	for c in &cases {
		assert_eq!(c.verify(&c.claim, &c.exec.evidence), Ok(()));
	}
	assert!(cases[0].exec.evidence.witness.pages.len() >= 2);
	let echo = examples::assemble_agent(
		"%isa = revive_v1\n%rw_data_size = 64\n%stack_size = 4096\npub @step:\na0 = 0x20000\na1 = 0\na2 = 8\necalli 1\na1 = a0\na0 = 0x20000\necalli 5\nret\n",
	)
	.expect("assembles");
	let c = case(echo, StateTree::new(0).expect("depth"), &[b"hello"], None);
	assert!(c.exec.evidence.witness.pages.is_empty() && c.claim.new_root == c.claim.old_root);
	assert_eq!(c.exec.evidence.outputs[0].data, b"hello");
	assert_eq!(c.verify(&c.claim, &c.exec.evidence), Ok(()));
	// The register loop (the long-run benchmark's agent): n rounds of a1 += a2, a2 ^= a1.
	let rounds = 5u64;
	let r = case(examples::register_loop(), StateTree::new(0).expect("depth"), &[&rounds.to_le_bytes()], None);
	let (mut a1, mut a2) = (1u64, 2u64);
	for _ in 0..rounds {
		a1 = a1.wrapping_add(a2);
		a2 ^= a1;
	}
	assert_eq!(r.exec.evidence.outputs[0].data, a1.to_le_bytes());
	assert!(r.exec.evidence.witness.pages.is_empty());
	assert_eq!(r.verify(&r.claim, &r.exec.evidence), Ok(()));
	// An empty witness carries no multiproof (review LS-4).
	let mut padded = c.exec.evidence.clone();
	padded.witness.proof.force_push(sp_core::H256::repeat_byte(7));
	assert_eq!(c.verify(&c.claim, &padded), Err(VerifyError::Witness(WitnessError::ProofTooLong)));
}

/// Outputs beyond what a statement may publish are refused before the statement is built
/// (review LS-1: the runtime's allocator must never see a vector of a million interactions).
#[test]
fn too_many_output_bytes_are_refused_early() {
	let c = counter_case();
	let mut evidence = c.exec.evidence.clone();
	let full = Output { trapped: false, data: vec![0; 4096] };
	while evidence.outputs.len() < 65 {
		evidence.inputs.force_push(Input::default());
		evidence.outputs.force_push(full.clone());
	}
	let claim = c.consistent_claim(&evidence);
	assert_eq!(c.verify(&claim, &evidence), Err(VerifyError::Proof(agentic_polkavm_proof::vm::RunError::BadClaim)));
}

/// A proof whose opening stacks more than `MAX_STACKED_VALUES` is refused by its first
/// sumcheck's length alone, before anything is verified; a length within the bound other than
/// the shape's is refused by the opening.
#[test]
fn stacks_beyond_the_bound_are_refused_early() {
	use agentic_polkavm_proof::vm::RunProof;
	use codec::{DecodeAll, Encode};
	let c = counter_case();
	let honest = RunProof::decode_all(&mut &c.exec.evidence.proof[..]).expect("decodes");
	// The trace opening's first level with `rounds` sumcheck rounds.
	let with_rounds = |rounds: usize| {
		let mut proof = honest.clone();
		let opening = &mut proof.proof.opening;
		let sumcheck = match opening.levels.first_mut() {
			Some(level) => &mut level.sumcheck,
			None => &mut opening.last.sumcheck,
		};
		sumcheck.resize(rounds, [0; 2]);
		let mut evidence = c.exec.evidence.clone();
		evidence.proof = BoundedVec::try_from(proof.encode()).map_err(|_| ()).expect("within MAX_PROOF_LEN");
		(proof.proof.stacked_values(), c.verify(&c.claim, &evidence))
	};
	// The first level's rounds (the same choice as `stacked_values`: the first committed level,
	// else the last); the exact errors below show it is the shape's.
	let rounds = |o: &agentic_zerocheck::RecursiveOpeningProof| {
		o.levels.first().map_or(o.last.sumcheck.len(), |level| level.sumcheck.len())
	};
	let own = rounds(&honest.proof.opening);
	assert_eq!(honest.proof.stacked_values(), 1u64 << own);
	let bound = agentic_primitives::MAX_STACKED_VALUES;
	// The largest first level within the bound: refused by the proof, not the bound; one
	// variable more: refused by the bound.
	let within = bound.ilog2() as usize;
	let (values, result) = with_rounds(within);
	assert!(values <= bound, "{values} values");
	assert!(matches!(result, Err(VerifyError::Proof(_))), "{result:?}");
	let (values, result) = with_rounds(within + 1);
	assert!(values > bound);
	assert_eq!(result, Err(VerifyError::StacksTooLarge { values }));
	assert_eq!(VerifyError::StacksTooLarge { values }.rejection_reason(), Some(RejectionReason::InvalidProof));
	// Absurd lengths saturate.
	let (values, result) = with_rounds(64);
	assert_eq!(values, u64::MAX);
	assert_eq!(result, Err(VerifyError::StacksTooLarge { values }));
	// One round more or fewer than the shape: refused by the opening's own length check.
	let malformed =
		agentic_zerocheck::ZerocheckError::Opening(agentic_zerocheck::PcsError::Malformed("sumcheck length"));
	for rounds in [own + 1, own - 1] {
		let (values, result) = with_rounds(rounds);
		assert!(values <= bound);
		assert_eq!(result, Err(VerifyError::Proof(agentic_polkavm_proof::vm::RunError::Zerocheck(malformed.clone()))));
	}
}

/// A proof of millions of empty rows (one byte each on the wire, a vector's header each in
/// memory) is refused as malformed while decoding, within `MAX_PROOF_DECODE_MEMORY`, not by
/// exhausting the heap (review SB-4).
#[test]
fn a_proof_of_empty_containers_is_refused_within_the_decoding_memory() {
	use agentic_polkavm_proof::vm::RunProof;
	use codec::{DecodeAll, Encode};
	let c = counter_case();
	let mut proof = RunProof::decode_all(&mut &c.exec.evidence.proof[..]).expect("decodes");
	let room = agentic_primitives::MAX_PROOF_LEN as usize - c.exec.evidence.proof.len() - 16;
	proof.proof.opening.last.openings[0].rows = vec![Vec::new(); room];
	let bytes = proof.encode();
	assert!(bytes.len() <= agentic_primitives::MAX_PROOF_LEN as usize, "{} bytes", bytes.len());
	assert!(room * core::mem::size_of::<Vec<u32>>() > agentic_verifier::ligerito::MAX_PROOF_DECODE_MEMORY);
	let mut evidence = c.exec.evidence.clone();
	evidence.proof = BoundedVec::try_from(bytes).map_err(|_| ()).expect("within MAX_PROOF_LEN");
	assert_eq!(c.verify(&c.claim, &evidence), Err(VerifyError::ProofMalformed));
	assert_eq!(agentic_verifier::ligerito::stacked_values(&evidence), None);
}

/// Each part of the claim or the evidence changed on its own: refused with its own error.
#[test]
fn a_tampered_claim_or_evidence_is_rejected() {
	let c = counter_case();
	let (claim, evidence) = (&c.claim, &c.exec.evidence);
	let with_claim = |change: &dyn Fn(&mut Claim)| {
		let mut changed = *claim;
		change(&mut changed);
		c.verify(&changed, evidence)
	};
	let with_evidence = |change: &dyn Fn(&mut LigeritoEvidence)| {
		let mut changed = evidence.clone();
		change(&mut changed);
		c.verify(claim, &changed)
	};
	assert_eq!(with_claim(&|c| c.inputs_commitment.0[0] ^= 1), Err(VerifyError::InputsMismatch));
	assert_eq!(with_claim(&|c| c.outputs_commitment.0[0] ^= 1), Err(VerifyError::OutputsMismatch));
	assert_eq!(with_claim(&|c| c.new_root.0[0] ^= 1), Err(VerifyError::NewRootMismatch));
	assert_eq!(with_claim(&|c| c.old_root.0[0] ^= 1), Err(VerifyError::Witness(WitnessError::RootMismatch)));
	assert_eq!(with_claim(&|c| c.state_depth += 1), Err(VerifyError::WitnessDepthMismatch));
	for steps in [claim.steps + 1, claim.steps - 1] {
		assert!(matches!(with_claim(&|c| c.steps = steps), Err(VerifyError::Proof(_))), "steps {steps}");
	}
	assert!(matches!(with_claim(&|c| c.time = Some(5)), Err(VerifyError::Proof(_))));

	assert_eq!(with_evidence(&|e| e.inputs[0].force_push(1)), Err(VerifyError::InputsMismatch));
	assert_eq!(with_evidence(&|e| e.outputs[0].data[0] ^= 1), Err(VerifyError::OutputsMismatch));
	assert_eq!(
		with_evidence(&|e| e.witness.pages[0].data[100] ^= 1),
		Err(VerifyError::Witness(WitnessError::RootMismatch))
	);
	// Written pages: not a witness page, unchanged, repeated.
	assert_eq!(
		with_evidence(&|e| e.written[0].index = 1),
		Err(VerifyError::WrittenPages),
		"a page outside the witness"
	);
	assert_eq!(
		with_evidence(&|e| e.written[0].data = e.witness.pages[0].data),
		Err(VerifyError::WrittenPages),
		"an unchanged page"
	);
	assert_eq!(
		with_evidence(&|e| {
			let page = e.written[0].clone();
			e.written.force_push(page);
		}),
		Err(VerifyError::WrittenPages),
		"a repeated page"
	);
	assert_eq!(with_evidence(&|e| e.written = Default::default()), Err(VerifyError::NewRootMismatch));
	assert_eq!(with_evidence(&|e| e.proof = Default::default()), Err(VerifyError::ProofMalformed));
	assert_eq!(with_evidence(&|e| e.proof.force_push(0)), Err(VerifyError::ProofMalformed), "trailing bytes");
	for error in [VerifyError::ProofMalformed, VerifyError::Proof(agentic_polkavm_proof::vm::RunError::BadShape)] {
		assert_eq!(error.rejection_reason(), Some(RejectionReason::InvalidProof));
	}
	assert_eq!(VerifyError::WrittenPages.rejection_reason(), Some(RejectionReason::InvalidWrittenPages));
}

/// Lies told consistently: the commitments and the new root recomputed for the changed
/// evidence, so that only the proof refuses them. Another input, output, trapped flag or
/// written byte, an input dropped, other contents for the written page, and the proof of
/// another run.
#[test]
fn consistent_lies_are_refused_by_the_proof() {
	let c = counter_case();
	let lie = |change: &dyn Fn(&mut LigeritoEvidence)| {
		let mut changed = c.exec.evidence.clone();
		change(&mut changed);
		let claim = c.consistent_claim(&changed);
		c.verify(&claim, &changed)
	};
	let cases: [(&str, &dyn Fn(&mut LigeritoEvidence)); 6] = [
		("an input byte", &|e| e.inputs[1][0] ^= 1),
		("an output byte", &|e| e.outputs[2].data[0] ^= 1),
		("a trapped invocation", &|e| e.outputs[0] = Output { trapped: true, data: Vec::new() }),
		("a written byte", &|e| e.written[0].data[0] ^= 1),
		("an input dropped", &|e| {
			e.inputs.pop();
			e.outputs.pop();
		}),
		("a written byte nobody wrote", &|e| e.written[0].data[200] ^= 1),
	];
	for (what, change) in cases {
		assert!(matches!(lie(change), Err(VerifyError::Proof(_))), "{what}: {:?}", lie(change));
	}
	// The proof of another run (other inputs) with that run's public data but this run's
	// claim, and with its own claim but this run's evidence otherwise.
	let other = case(examples::counter(), c.state.clone(), &[b"", &6u64.to_le_bytes(), b"x"], None);
	let mut evidence = c.exec.evidence.clone();
	evidence.proof = other.exec.evidence.proof.clone();
	assert!(matches!(c.verify(&c.claim, &evidence), Err(VerifyError::Proof(_))));
	assert_eq!(other.verify(&other.claim, &other.exec.evidence), Ok(()));
	// The written page replaced by other contents (with the claim recomputed).
	let mut other_page = c.exec.evidence.clone();
	other_page.written = BoundedVec::truncate_from(vec![WitnessPage { index: 0, data: [9; PAGE_SIZE] }]);
	assert!(matches!(c.verify(&c.consistent_claim(&other_page), &other_page), Err(VerifyError::Proof(_))));
}

/// The witness shortened or padded, with its multiproof, the written pages and the claim
/// rebuilt to match: the proof's state table holds exactly the pages the run touched, so both
/// are refused by the proof (review LS-14).
#[test]
fn a_short_or_padded_witness_is_refused_by_the_proof() {
	let ledger =
		|from: u64, to: u64, amount: u64| [from.to_le_bytes(), to.to_le_bytes(), amount.to_le_bytes()].concat();
	let c = case(
		examples::token_ledger(),
		StateTree::new(examples::depth::TOKEN_LEDGER).expect("depth"),
		&[&ledger(u64::MAX, 3, 100), &ledger(3, 300, 40)],
		None,
	);
	assert_eq!(c.verify(&c.claim, &c.exec.evidence), Ok(()));
	let touched: std::collections::BTreeSet<u32> = c.exec.evidence.witness.pages.iter().map(|p| p.index).collect();
	assert!(touched.len() >= 2, "{touched:?}");
	let rebuilt = |pages: &std::collections::BTreeSet<u32>| {
		let mut evidence = c.exec.evidence.clone();
		evidence.witness = c.state.witness(pages).expect("a witness");
		let written: Vec<WitnessPage> =
			evidence.written.iter().filter(|page| pages.contains(&page.index)).cloned().collect();
		evidence.written = BoundedVec::truncate_from(written);
		evidence
	};
	// Short: the last touched page left out.
	let mut short = touched.clone();
	short.pop_last();
	let evidence = rebuilt(&short);
	let claim = Claim { steps: c.claim.steps - agentic_primitives::abi::PAGE_STEPS, ..c.consistent_claim(&evidence) };
	assert!(matches!(c.verify(&claim, &evidence), Err(VerifyError::Proof(_))), "a short witness");
	// Padded: an untouched page added, and its page charge.
	let mut padded = touched.clone();
	let extra = (0..).find(|i| !touched.contains(i)).expect("an untouched page");
	padded.insert(extra);
	let evidence = rebuilt(&padded);
	let claim = Claim { steps: c.claim.steps + agentic_primitives::abi::PAGE_STEPS, ..c.consistent_claim(&evidence) };
	assert!(matches!(c.verify(&claim, &evidence), Err(VerifyError::Proof(_))), "a padded witness");
}

/// Flipped bits anywhere in the proof: refused (as malformed or as failing), never accepted.
#[test]
fn flipped_proof_bits_are_rejected() {
	let c = counter_case();
	let proof = &c.exec.evidence.proof;
	let mut state = 0x9e37_79b9_7f4a_7c15u64;
	for _ in 0..64 {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		let at = (state % proof.len() as u64) as usize;
		let mut evidence = c.exec.evidence.clone();
		evidence.proof[at] ^= 1 << (state >> 61);
		let result = c.verify(&c.claim, &evidence);
		assert!(matches!(result, Err(VerifyError::ProofMalformed | VerifyError::Proof(_))), "byte {at}: {result:?}");
	}
}

/// A program outside the v1 subset has no program table: not the submitter's fault.
#[test]
fn a_program_outside_the_subset_is_not_the_submitters_fault() {
	let blob = examples::assemble_agent("%isa = revive_v1\n%stack_size = 4096\npub @step:\na0 = a1 * a2\nret\n")
		.expect("assembles");
	let error = program_table(&blob).err().expect("outside the subset");
	assert!(matches!(error, VerifyError::ProgramTable(_)), "{error:?}");
	assert_eq!(error.rejection_reason(), None);
}
