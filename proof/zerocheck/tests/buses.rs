//! Tables that talk through buses: permutations, read-only lookups with multiplicative
//! counters, public interactions, index bits. Honest proofs verify; unbalanced buses, forged
//! lookups and every lie of the bus's product circuit are rejected.

use agentic_air::{ext, Air, AirBuilder, Base, BinaryFieldElement, Direction, Ext};
use agentic_zerocheck::{
	prover::{prove_tables, prove_tables_forged, prove_tables_unchecked, Forgery},
	verify_tables, Config, PublicColumn, PublicInteraction, TableStatement, Tables, TraceProof, ZerocheckError,
};
use codec::{Decode, Encode};

const CONFIG: Config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };
const VALUES: u32 = 7;
const LOOKUP: u32 = 9;

/// The tables of these tests, as one AIR type.
enum Test {
	/// One column `x`, sent on bus `VALUES` from every row below `R`.
	Sender,
	/// One column `x`, received on bus `VALUES` on every row below `R`.
	Receiver,
	/// A public table `(a, v)` with a committed final counter `ρ_final`: sends `(a, v, 1)` and
	/// receives `(a, v, ρ_final)` on bus `LOOKUP`.
	Table,
	/// Reads `(a, v)` from the table: columns `a, v, ρ, ρ_inv, g`; receives `(a, v, ρ)` and sends
	/// `(a, v, ρ·ω)` when `g`; proves `ρ ≠ 0` (unless `checked` is false: the flawed reader).
	Reader { checked: bool },
	/// Column `t` must be the row's index, packed (`Σ_j bit_j x^j`).
	Timestamps,
}

fn omega() -> Base {
	// A generator of B* (order 2^32 - 1 = 3 · 5 · 17 · 257 · 65537), checked by the test below.
	Base::from_value(0x3)
}

impl Air for Test {
	fn width(&self) -> usize {
		match self {
			Test::Sender | Test::Receiver | Test::Timestamps => 1,
			Test::Table => 3,
			Test::Reader { .. } => 5,
		}
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		match self {
			Test::Sender => b.interact(VALUES, Direction::Send, b.one(), &[b.cur(0)]),
			Test::Receiver => b.interact(VALUES, Direction::Receive, b.one(), &[b.cur(0)]),
			Test::Table => {
				b.interact(LOOKUP, Direction::Send, b.one(), &[b.cur(0), b.cur(1), b.one()]);
				b.interact(LOOKUP, Direction::Receive, b.one(), &[b.cur(0), b.cur(1), b.cur(2)]);
			},
			Test::Reader { checked } => {
				let (a, v, rho, rho_inv, g) = (b.cur(0), b.cur(1), b.cur(2), b.cur(3), b.cur(4));
				if *checked {
					b.assert_transition(g.clone() * (rho.clone() * rho_inv + b.one()));
				} else {
					// Reads ρ_inv so that the column is used, without tying it to ρ.
					b.assert_transition(g.clone() * (rho_inv.clone() * rho_inv.clone() + rho_inv));
				}
				b.interact(LOOKUP, Direction::Receive, g.clone(), &[a.clone(), v.clone(), rho.clone()]);
				b.interact(LOOKUP, Direction::Send, g, &[a, v, rho * b.constant(omega())]);
			},
			Test::Timestamps => {
				let mut packed = b.cur(0);
				for j in 0..5u8 {
					packed = packed + b.index_bit(j) * b.constant(Base::from_value(1 << j));
				}
				b.assert_zero(packed);
			},
		}
	}
}

fn base(v: u32) -> Base {
	Base::from_value(v)
}

fn column(values: &[u32]) -> Vec<Base> {
	values.iter().map(|&v| base(v)).collect()
}

fn table(r: u64) -> TableStatement {
	TableStatement { active_rows: r, boundaries: vec![], public_columns: vec![] }
}

#[test]
fn omega_generates_the_base_field_group() {
	let order = u32::MAX as u64;
	for p in [3u64, 5, 17, 257, 65537] {
		assert_ne!(omega().pow(order / p), Base::one(), "ω^((2^32-1)/{p}) = 1");
	}
	assert_eq!(omega().pow(order), Base::one());
}

#[test]
fn coordinates_round_trip() {
	let coordinates = ext::Coordinates::new();
	let mut x = 0x0123_4567_89ab_cdef_u128;
	for _ in 0..200 {
		x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835).wrapping_add(1);
		let value = Ext::from_value(x);
		assert_eq!(ext::from_coords(&coordinates.of(value)), value);
	}
	for c in [[1u32, 0, 0, 0], [0, 1, 0, 0], [5, 0, 0, 9], [0xffff_ffff; 4]] {
		let coords = c.map(Base::from_value);
		assert_eq!(coordinates.of(ext::from_coords(&coords)), coords);
	}
}

/// Two tables: what one sends (rows below R), the other receives, in another order.
fn permutation(sent: &[u32], received: &[u32]) -> (Tables, Vec<Vec<Base>>, Vec<Vec<Base>>) {
	let r = sent.len() as u64 - 1;
	let statement = Tables { context: b"perm".to_vec(), tables: vec![table(r), table(r)], public_interactions: vec![] };
	(statement, vec![column(sent)], vec![column(received)])
}

#[test]
fn a_permutation_balances_and_a_changed_value_does_not() {
	// R = 7 of 8 rows: the last row sends and receives nothing.
	let (statement, a, b) = permutation(&[1, 2, 3, 4, 5, 6, 7, 100], &[7, 6, 5, 4, 3, 2, 1, 200]);
	let airs = [&Test::Sender, &Test::Receiver];
	let proof = prove_tables(&airs, &statement, &CONFIG, &[&a, &b]).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");

	let (statement, a, b) = permutation(&[1, 2, 3, 4, 5, 6, 7, 0], &[7, 6, 5, 4, 3, 2, 9, 0]);
	assert_eq!(prove_tables(&airs, &statement, &CONFIG, &[&a, &b]).unwrap_err(), ZerocheckError::Unbalanced);
	let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &[&a, &b]).expect("unchecked");
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &proof), Err(ZerocheckError::Unbalanced));
}

/// In characteristic 2 a sum of fractions sees counts only modulo 2; products count exactly.
#[test]
fn multiplicities_count_exactly_in_characteristic_2() {
	let airs = [&Test::Sender, &Test::Receiver];
	for (sent, received) in [
		([1u32, 1, 2, 2, 0], [2u32, 2, 2, 2, 0]), // {1,1,2,2} against {2,2,2,2}
		([5, 5, 5, 3, 0], [5, 3, 3, 3, 0]),       // three 5s against one
		([4, 4, 1, 2, 0], [1, 2, 9, 9, 0]),       // a pair replaced by another pair
	] {
		let mut s = sent.to_vec();
		let mut r = received.to_vec();
		s.resize(8, 0);
		r.resize(8, 0);
		let statement = Tables { context: vec![], tables: vec![table(4), table(4)], public_interactions: vec![] };
		let (a, b) = (vec![column(&s)], vec![column(&r)]);
		let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &[&a, &b]).expect("unchecked");
		assert_eq!(verify_tables(&airs, &statement, &CONFIG, &proof), Err(ZerocheckError::Unbalanced), "{sent:?}");
	}
}

#[test]
fn public_interactions_take_part_in_the_balance() {
	let airs = [&Test::Sender];
	let values = [10u32, 20, 30, 0];
	let public = |v: &[u32]| -> Vec<PublicInteraction> {
		v.iter()
			.map(|&x| PublicInteraction { bus: VALUES, direction: Direction::Receive, fields: vec![base(x)] })
			.collect()
	};
	let statement = Tables { context: vec![], tables: vec![table(3)], public_interactions: public(&[30, 10, 20]) };
	let trace = vec![column(&values)];
	let proof = prove_tables(&airs, &statement, &CONFIG, &[&trace]).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");
	for other in [public(&[30, 10, 21]), public(&[30, 10]), public(&[30, 10, 20, 20])] {
		let statement = Tables { public_interactions: other, ..statement.clone() };
		assert!(verify_tables(&airs, &statement, &CONFIG, &proof).is_err());
	}
	// The wrong bus.
	let mut wrong = statement.clone();
	wrong.public_interactions[0].bus = LOOKUP;
	assert!(verify_tables(&airs, &wrong, &CONFIG, &proof).is_err());
}

/// The lookup table `(a, a · 3 + 1)` for `a < 8`, and a reader that reads `reads` of its rows.
fn lookup(reads: &[(u32, u32)], checked: bool) -> (Vec<Test>, Tables, Vec<Vec<Vec<Base>>>) {
	let rows = 8usize;
	let a: Vec<u32> = (0..rows as u32).collect();
	let v: Vec<u32> = a.iter().map(|x| x * 3 + 1).collect();
	// Counters: each read of row a moves its counter from ω^k to ω^(k+1).
	let mut counters = vec![Base::one(); rows];
	// The reader has R = reads.len() transitions, so 2^n rows with n the bit length of R.
	let reader_rows = (reads.len() + 1).next_power_of_two();
	let mut reader = vec![vec![Base::zero(); reader_rows]; 5];
	for (i, &(ra, rv)) in reads.iter().enumerate() {
		let rho = counters[ra as usize];
		reader[0][i] = base(ra);
		reader[1][i] = base(rv);
		reader[2][i] = rho;
		reader[3][i] = if rho == Base::zero() { Base::zero() } else { rho.inv() };
		reader[4][i] = Base::one();
		counters[ra as usize] = rho.mul(&omega());
	}
	let table_trace = vec![column(&a), column(&v), counters];
	let statement = Tables {
		context: b"lookup".to_vec(),
		tables: vec![
			TableStatement {
				active_rows: rows as u64 - 1,
				boundaries: vec![],
				public_columns: vec![
					PublicColumn { column: 0, values: column(&a) },
					PublicColumn { column: 1, values: column(&v) },
				],
			},
			table(reads.len() as u64),
		],
		public_interactions: vec![],
	};
	(vec![Test::Table, Test::Reader { checked }], statement, vec![table_trace, reader])
}

#[test]
fn lookups_with_counters_accept_reads_of_the_table_and_refuse_others() {
	// The table's last row (a = 7) is its row R: it sends and receives nothing, so it is never read.
	let reads = [(3u32, 10u32), (0, 1), (3, 10), (6, 19), (3, 10), (1, 4), (2, 7)];
	let (airs, statement, traces) = lookup(&reads, true);
	let airs: Vec<&Test> = airs.iter().collect();
	let honest: Vec<&[Vec<Base>]> = traces.iter().map(|t| &t[..]).collect();
	let proof = prove_tables(&airs, &statement, &CONFIG, &honest).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");

	// A read of a value the table does not hold.
	let mut forged = reads;
	forged[2] = (3, 11);
	let (airs, statement, traces) = lookup(&forged, true);
	let airs: Vec<&Test> = airs.iter().collect();
	let traces: Vec<&[Vec<Base>]> = traces.iter().map(|t| &t[..]).collect();
	assert_eq!(prove_tables(&airs, &statement, &CONFIG, &traces).unwrap_err(), ZerocheckError::Unbalanced);
	let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &traces).expect("unchecked");
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &proof), Err(ZerocheckError::Unbalanced));
}

/// A zero counter is a fixed point (`0 · ω = 0`): a forged read with `ρ = 0` balances itself.
/// The reader's `ρ ≠ 0` proof is what refuses it.
#[test]
fn a_zero_counter_forges_a_read_unless_it_is_refused() {
	let mut reads = vec![(3u32, 10u32), (0, 1)];
	let forged_row = reads.len();
	reads.push((5, 999)); // not the table's value
	let build = |checked: bool| {
		let (airs, statement, mut traces) = lookup(&reads, checked);
		// The forged read uses counter 0 (and leaves the table's counters as they are).
		traces[1][2][forged_row] = Base::zero();
		traces[1][3][forged_row] = Base::zero();
		let mut counters = traces[0][2].clone();
		counters[5] = Base::one();
		traces[0][2] = counters;
		(airs, statement, traces)
	};

	let (airs, statement, traces) = build(false);
	let airs_ref: Vec<&Test> = airs.iter().collect();
	let slices: Vec<&[Vec<Base>]> = traces.iter().map(|t| &t[..]).collect();
	let proof = prove_tables(&airs_ref, &statement, &CONFIG, &slices).expect("the flawed reader proves the forgery");
	verify_tables(&airs_ref, &statement, &CONFIG, &proof).expect("and its verifier accepts it");

	let (airs, statement, traces) = build(true);
	let airs_ref: Vec<&Test> = airs.iter().collect();
	let slices: Vec<&[Vec<Base>]> = traces.iter().map(|t| &t[..]).collect();
	assert!(matches!(prove_tables(&airs_ref, &statement, &CONFIG, &slices), Err(ZerocheckError::Violation(_))));
	let proof = prove_tables_unchecked(&airs_ref, &statement, &CONFIG, &slices).expect("unchecked");
	assert!(verify_tables(&airs_ref, &statement, &CONFIG, &proof).is_err());
}

/// The bus circuit's lies: outputs scaled on both sides (still balanced), the same with the
/// first layer's value solved, leaf claims shifted so that they still recombine, zero outputs.
/// Each is caught where the protocol says.
#[test]
fn the_bus_circuit_is_bound_to_the_committed_columns() {
	let (statement, a, b) = permutation(&[1, 2, 3, 4, 5, 6, 7, 0], &[7, 6, 5, 4, 3, 2, 1, 0]);
	let airs = [&Test::Sender, &Test::Receiver];
	let verdict = |forgery| {
		let proof = prove_tables_forged(&airs, &statement, &CONFIG, &[&a, &b], forgery).expect("forged");
		verify_tables(&airs, &statement, &CONFIG, &proof)
	};
	assert_eq!(verdict(Forgery::BusOutputs(0x1234_5678)), Err(ZerocheckError::BusLayerFailed { layer: 1 }));
	assert_eq!(verdict(Forgery::BusOutputsAndLayer(0x1234_5678)), Err(ZerocheckError::BusLayerFailed { layer: 2 }));
	assert_eq!(verdict(Forgery::LeafClaims(0x55)), Err(ZerocheckError::FinalCheckFailed));
	// Zero outputs on both sides would balance anything: refused.
	let proof = prove_tables(&airs, &statement, &CONFIG, &[&a, &b]).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");
	let mut zero = proof.clone();
	let outputs = &mut zero.bus.as_mut().expect("a bus").outputs;
	(outputs[0], outputs[2]) = (0, 0);
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &zero), Err(ZerocheckError::Unbalanced));
	// Two tables' leaf claims swapped.
	let mut swapped = proof.clone();
	swapped.bus.as_mut().expect("a bus").leaves.swap(0, 1);
	assert!(verify_tables(&airs, &statement, &CONFIG, &swapped).is_err());
	// Any bit of the bus part flipped.
	let encoded = proof.bus.as_ref().expect("a bus").encode();
	for k in 0..encoded.len() {
		let mut bytes = encoded.clone();
		bytes[k] ^= 1 << (k % 8);
		let Ok(bus) = agentic_zerocheck::BusProof::decode(&mut &bytes[..]) else { continue };
		let tampered = TraceProof { bus: Some(bus), ..proof.clone() };
		assert!(verify_tables(&airs, &statement, &CONFIG, &tampered).is_err(), "byte {k}");
	}
}

#[test]
fn index_bits_give_the_row_index() {
	let airs = [&Test::Timestamps];
	let statement = Tables { context: vec![], tables: vec![table(31)], public_interactions: vec![] };
	let good = vec![column(&(0..32).collect::<Vec<u32>>())];
	let proof = prove_tables(&airs, &statement, &CONFIG, &[&good]).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");
	let mut bad = good.clone();
	bad[0][17] = base(18);
	assert!(
		matches!(prove_tables(&airs, &statement, &CONFIG, &[&bad]), Err(ZerocheckError::Violation(v)) if v.row == 17)
	);
	let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &[&bad]).expect("unchecked");
	assert!(verify_tables(&airs, &statement, &CONFIG, &proof).is_err());
	// A trace too short for the bits the AIR reads is refused.
	let statement = Tables { context: vec![], tables: vec![table(7)], public_interactions: vec![] };
	let short = vec![column(&(0..8).collect::<Vec<u32>>())];
	assert!(matches!(prove_tables(&airs, &statement, &CONFIG, &[&short]), Err(ZerocheckError::BadShape(_))));
}

/// Bus leaves of 1 make any tuples "balance" (the circuit over them is honest); the table's
/// zerocheck, which proves its leaves from its columns, refuses them at its final check.
#[test]
fn forged_leaves_fail_the_zerocheck() {
	let (statement, a, b) = permutation(&[1, 2, 3, 4, 5, 6, 7, 0], &[7, 6, 5, 4, 3, 2, 9, 0]);
	let airs = [&Test::Sender, &Test::Receiver];
	let proof = prove_tables_forged(&airs, &statement, &CONFIG, &[&a, &b], Forgery::Leaves).expect("forged");
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &proof), Err(ZerocheckError::FinalCheckFailed));
	let proof = prove_tables_unchecked(&airs, &statement, &CONFIG, &[&a, &b]).expect("unchecked");
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &proof), Err(ZerocheckError::Unbalanced));
}

/// A bus has one tuple length: a fingerprint reads a missing field as 0, so a public tuple
/// `(x, 0)` would otherwise balance a table's `(x)`.
#[test]
fn a_bus_with_two_tuple_lengths_is_refused() {
	let (mut statement, sent, _) = permutation(&[1, 2, 3, 4, 5, 6, 7, 8], &[8, 7, 6, 5, 4, 3, 2, 1]);
	statement.tables.truncate(1);
	statement.public_interactions = [1u32, 2, 3, 4, 5, 6, 7]
		.iter()
		.map(|&v| PublicInteraction { bus: VALUES, direction: Direction::Receive, fields: vec![base(v), Base::zero()] })
		.collect();
	let refused = prove_tables(&[&Test::Sender], &statement, &CONFIG, &[&sent]);
	assert_eq!(refused.err(), Some(ZerocheckError::BadShape("a bus whose tuples have two lengths")));
	let proof = prove_tables_unchecked(
		&[&Test::Sender],
		&Tables { public_interactions: vec![], ..statement.clone() },
		&CONFIG,
		&[&sent],
	)
	.expect("unchecked");
	assert_eq!(
		verify_tables(&[&Test::Sender], &statement, &CONFIG, &proof),
		Err(ZerocheckError::BadShape("a bus whose tuples have two lengths"))
	);
	// With one-field public tuples the same values balance.
	for interaction in &mut statement.public_interactions {
		interaction.fields.truncate(1);
	}
	let proof = prove_tables(&[&Test::Sender], &statement, &CONFIG, &[&sent]).expect("balanced");
	verify_tables(&[&Test::Sender], &statement, &CONFIG, &proof).expect("verifies");
}

/// Every table's columns share one stacked commitment, the tallest first: a table that comes
/// first in the statement but sits after a taller one in the stack is bound at its own place.
/// Its forged rounds, and its forged values at the final point, fail the opening; the tables'
/// parts of a proof cannot be swapped, and the bus part cannot be dropped.
#[test]
fn a_table_stacked_after_a_taller_one_is_bound_at_its_place() {
	// The reader (4 rows) first in the statement, the table (8 rows) second.
	let (mut airs, mut statement, mut traces) = lookup(&[(3, 10), (5, 16)], true);
	airs.reverse();
	statement.tables.reverse();
	traces.reverse();
	let airs: Vec<&Test> = airs.iter().collect();
	let honest: Vec<&[Vec<Base>]> = traces.iter().map(|t| &t[..]).collect();
	let proof = prove_tables(&airs, &statement, &CONFIG, &honest).expect("prove");
	verify_tables(&airs, &statement, &CONFIG, &proof).expect("verify");
	// The forgeries lie about an invalid trace (on a valid one they are the honest proof): a
	// reader row whose ρ_inv is not ρ's inverse, which leaves the bus balanced.
	let mut broken = traces.clone();
	broken[0][3][1] = base(5);
	let traces: Vec<&[Vec<Base>]> = broken.iter().map(|t| &t[..]).collect();
	assert!(matches!(prove_tables(&airs, &statement, &CONFIG, &traces), Err(ZerocheckError::Violation(_))));
	for forgery in [Forgery::RoundsAndCur(0), Forgery::RoundsAndCur(2), Forgery::RoundsAndCur(3)] {
		let forged = prove_tables_forged(&airs, &statement, &CONFIG, &traces, forgery).expect("forged");
		let verdict = verify_tables(&airs, &statement, &CONFIG, &forged);
		assert!(matches!(verdict, Err(ZerocheckError::Opening(_))), "{forgery:?}: {verdict:?}");
	}
	let forged = prove_tables_forged(&airs, &statement, &CONFIG, &traces, Forgery::Rounds).expect("forged");
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &forged), Err(ZerocheckError::FinalCheckFailed));
	// Two tables of one shape: their parts swapped are refused.
	let (statement, a, b) = permutation(&[1, 2, 3, 4, 5, 6, 7, 0], &[7, 6, 5, 4, 3, 2, 1, 0]);
	let airs = [&Test::Sender, &Test::Receiver];
	let proof = prove_tables(&airs, &statement, &CONFIG, &[&a, &b]).expect("prove");
	let mut swapped = proof.clone();
	swapped.tables.swap(0, 1);
	assert!(verify_tables(&airs, &statement, &CONFIG, &swapped).is_err());
	let mut dropped = proof.clone();
	dropped.bus = None;
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &dropped), Err(ZerocheckError::Malformed("bus")));
	let mut short = proof.clone();
	short.bus.as_mut().expect("a bus").layers.pop();
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &short), Err(ZerocheckError::Malformed("bus")));
	let mut short = proof.clone();
	short.bus.as_mut().expect("a bus").layers[1].rounds.pop();
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &short), Err(ZerocheckError::Malformed("bus")));
	let mut short = proof.clone();
	short.bus.as_mut().expect("a bus").leaves.pop();
	assert_eq!(verify_tables(&airs, &statement, &CONFIG, &short), Err(ZerocheckError::Malformed("bus")));
}
