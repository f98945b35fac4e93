//! The access chip with the RAM table and the read-only image: random loads and stores
//! (every size, signed loads, unaligned and word-crossing accesses, read-only data) prove and
//! verify; single-cell mutations, a self-looping load, a stale read and a store to read-only
//! data are rejected.

mod common;

use agentic_air::{Base, BinaryFieldElement, Direction};
use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	bus,
	memory::{columns, stamp, AccessKind, AccessRow, Tracker, LO_BITS, SIZES, TS_BIT},
	program::ProgramTable,
	Table,
};
use agentic_zerocheck::{
	prover::{prove_tables, prove_tables_unchecked},
	verify_tables, Config, PublicColumn, PublicInteraction, TableStatement, Tables,
};
use common::programs::{random_program, Mix};

const CONFIG: Config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };

/// The high word of the one invocation's first timestamp (every access comes after it).
const START: u32 = 1 << TS_BIT;

fn num_vars(rows: usize) -> u32 {
	usize::BITS - rows.leading_zeros()
}

fn program(rng: &mut Rng) -> ProgramTable {
	ProgramTable::from_blob(&random_program(rng, Mix::Registers), "step").expect("inside the subset")
}

/// `count` random accesses: stores to read-write data and the stack, loads from everywhere,
/// at timestamps `2^29 + 1, 2^29 + 2, …`, concentrated on a few words so that they chain.
fn accesses(rng: &mut Rng, program: &ProgramTable, tracker: &mut Tracker, count: usize) -> Vec<AccessRow> {
	let [ro, rw, stack] = &program.regions;
	let mut rows = Vec::new();
	while rows.len() < count {
		let size = SIZES[rng.below(4) as usize];
		let store = rng.below(2) == 0;
		let signed = !store && rng.below(2) == 0;
		let region = match rng.below(5) {
			0 if !store => ro,
			0..=2 => rw,
			_ => stack,
		};
		let address = region.address + rng.below(40) as u32;
		// Both words of the timestamp move: three accesses per high word, as a host call's
		// bytes do.
		let n = rows.len() as u32;
		let ts = stamp((1 << TS_BIT) + 1 + n / 3, n % 3);
		let kind = AccessKind { size, signed, store };
		if let Some(row) = tracker.access(kind, address, rng.next(), ts, START) {
			rows.push(row);
		}
	}
	rows
}

struct Case {
	statement: Tables,
	traces: Vec<Vec<Vec<Base>>>,
}

/// The three tables and a statement whose public side sends each access request.
fn case(program: &ProgramTable, tracker: &Tracker, rows: &[AccessRow]) -> Case {
	let (ram_rows, ro_rows) = (tracker.ram_image().len(), tracker.ro_image().len());
	let public = |columns: &[Vec<Base>], count: usize| -> Vec<PublicColumn> {
		(0..count).map(|c| PublicColumn { column: c as u32, values: columns[c].clone() }).collect()
	};
	let ram = tracker.ram_columns(num_vars(ram_rows));
	let ro = tracker.ro_columns(num_vars(ro_rows));
	let statement = Tables {
		context: b"memory test".to_vec(),
		tables: vec![
			TableStatement { active_rows: rows.len() as u64, boundaries: vec![], public_columns: vec![] },
			TableStatement { active_rows: ram_rows as u64, boundaries: vec![], public_columns: public(&ram, 3) },
			TableStatement { active_rows: ro_rows as u64, boundaries: vec![], public_columns: public(&ro, 3) },
		],
		public_interactions: rows
			.iter()
			.map(|row| PublicInteraction { bus: bus::ACCESS, direction: Direction::Send, fields: request(row) })
			.collect(),
	};
	let _ = program;
	Case { statement, traces: vec![agentic_polkavm_proof::memory::trace(rows, num_vars(rows.len())), ram, ro] }
}

fn request(row: &AccessRow) -> Vec<Base> {
	let word = |v: u64| Base::from_value(v as u32);
	vec![
		Base::from_value(row.kind.id()),
		Base::from_value(row.address),
		word(row.value),
		word(row.value >> 32),
		Base::from_value((row.ts >> LO_BITS) as u32),
		Base::from_value((row.ts & ((1 << LO_BITS) - 1)) as u32),
		Base::from_value(row.t_inv),
	]
}

const AIRS: [&Table; 3] = [&Table::Access, &Table::Ram, &Table::RoImage];

fn traces(case: &Case) -> Vec<&[Vec<Base>]> {
	case.traces.iter().map(|t| t.as_slice()).collect()
}

fn accepted(case: &Case) -> bool {
	let proof = prove_tables_unchecked(&AIRS, &case.statement, &CONFIG, &traces(case)).expect("unchecked");
	verify_tables(&AIRS, &case.statement, &CONFIG, &proof).is_ok()
}

fn refused_by_prover(case: &Case) -> bool {
	prove_tables(&AIRS, &case.statement, &CONFIG, &traces(case)).is_err()
}

#[test]
fn loads_and_stores_prove_and_verify() {
	let mut rng = Rng(0x3e3_2026);
	let mut crossing = 0;
	for count in [1, 5, 40] {
		let program = program(&mut rng);
		let mut tracker = Tracker::new(&program);
		let rows = accesses(&mut rng, &program, &mut tracker, count);
		let case = case(&program, &tracker, &rows);
		agentic_air::check_trace(&Table::Access, &case.traces[0], rows.len() as u64).expect("honest rows");
		let proof = prove_tables(&AIRS, &case.statement, &CONFIG, &traces(&case)).expect("honest accesses prove");
		verify_tables(&AIRS, &case.statement, &CONFIG, &proof).expect("and verify");
		crossing += rows.iter().filter(|r| r.lanes[1].is_some()).count();
	}
	assert!(crossing > 0, "some access crosses a word");
}

#[test]
fn a_loaded_value_is_the_last_stored_one() {
	let mut rng = Rng(0x10ad);
	let program = program(&mut rng);
	let rw = program.regions[1].address;
	let mut tracker = Tracker::new(&program);
	let store = AccessKind { size: 8, signed: false, store: true };
	let load = AccessKind { size: 4, signed: true, store: false };
	let ts = |i: u32| stamp((1 << TS_BIT) + i, 0);
	let rows = vec![
		tracker.access(store, rw + 12, 0x8877_6655_4433_2211, ts(1), START).expect("in rw"),
		tracker.access(load, rw + 16, 0, ts(2), START).expect("in rw"),
	];
	// Bytes 16..19 of the stored value are 0x55, 0x66, 0x77, 0x88: sign-extended.
	assert_eq!(rows[1].value, 0xffff_ffff_8877_6655);
	let honest = case(&program, &tracker, &rows);
	assert!(accepted(&honest));
	// The load claims another value: its request no longer matches the chip's row.
	let mut lie = case(&program, &tracker, &rows);
	lie.statement.public_interactions[1].fields[2] = Base::from_value(0x1122_3344);
	assert!(refused_by_prover(&lie) && !accepted(&lie));
}

/// The mutation suite of the memory tables: one cell changed (an access row's any column on
/// rows below `R`, a RAM word's final value or timestamp, a read-only word's counter).
#[test]
fn proofs_of_mutated_memory_are_rejected() {
	let mut rng = Rng(0x05ee_d3e3);
	for case_index in 0..60 {
		let program = program(&mut rng);
		let mut tracker = Tracker::new(&program);
		let count = 1 + rng.below(10) as usize;
		let rows = accesses(&mut rng, &program, &mut tracker, count);
		let mut case = case(&program, &tracker, &rows);
		let (table, column, row) = match rng.below(6) {
			0 => {
				// A RAM word the accesses touched (the others' final cells are their initial ones:
				// changing them unbalances too, but touched words are the interesting ones).
				let touched: Vec<usize> =
					(0..tracker.ram_image().len()).filter(|&i| case.traces[1][5][i] != Base::zero()).collect();
				let i = touched.get(rng.below(touched.len().max(1) as u64) as usize).copied().unwrap_or(0);
				(1, 3 + rng.below(3) as usize, i)
			},
			1 => (2, 3, rng.below(tracker.ro_image().len() as u64) as usize),
			_ => (0, rng.below(columns::WIDTH as u64) as usize, rng.below(rows.len() as u64) as usize),
		};
		let delta =
			if rng.below(2) == 0 { Base::one() } else { Base::from_value(1 + rng.below(u32::MAX as u64) as u32) };
		case.traces[table][column][row] = case.traces[table][column][row].add(&delta);
		assert!(
			refused_by_prover(&case),
			"case {case_index}: table {table}, column {column}, row {row} accepted by the prover"
		);
		assert!(!accepted(&case), "case {case_index}: table {table}, column {column}, row {row} accepted");
	}
}

/// A load that receives the very cell it sends (`prev_ts = ts`, `old = new = anything`)
/// balances on its own; only the strict `prev_ts < ts` refuses it.
#[test]
fn a_self_looping_load_is_rejected() {
	use columns::lane;
	let mut rng = Rng(0x5e1f);
	let program = program(&mut rng);
	let rw = program.regions[1].address;
	let mut tracker = Tracker::new(&program);
	let ts = |i: u32| stamp((1 << TS_BIT) + i, 0);
	let kind = AccessKind { size: 8, signed: false, store: false };
	let store = AccessKind { size: 8, signed: false, store: true };
	let rows = vec![
		tracker.access(store, rw, 7, ts(1), START).expect("in rw"),
		tracker.access(kind, rw, 0, ts(2), START).expect("in rw"),
		tracker.access(kind, rw, 0, ts(3), START).expect("in rw"),
	];
	let forged_value = 0xdead_beef_u64;
	let mut forged = rows.clone();
	forged[1].value = forged_value;
	if let Some(lane) = forged[1].lanes[0].as_mut() {
		lane.old = forged_value;
		lane.new = forged_value;
		lane.prev_ts = ts(2);
	}
	// The next load now receives the store's cell directly.
	if let Some(lane) = forged[2].lanes[0].as_mut() {
		lane.prev_ts = ts(1);
	}
	let mut case = case(&program, &tracker, &forged);
	// The borrow chain of the self-loop cannot end in 1: write the row as the chip would if
	// it could, with the borrows of prev_ts - ts (which end in 0).
	let trace = &mut case.traces[0];
	let borrow = columns::LANE + lane::BORROW;
	assert_eq!(trace[borrow + 29][1], Base::zero(), "no borrow out of ts - ts");
	assert!(refused_by_prover(&case));
	assert!(!accepted(&case));
	// Forced through: claim the borrow out anyway; the chain's last step refuses it.
	case.traces[0][borrow + 29][1] = Base::one();
	assert!(!accepted(&case));
}

#[test]
fn a_store_to_read_only_data_cannot_be_built_or_forged() {
	use columns::lane;
	let mut rng = Rng(0x0505);
	let program = program(&mut rng);
	let ro = program.regions[0].address;
	let mut tracker = Tracker::new(&program);
	let store = AccessKind { size: 4, signed: false, store: true };
	assert_eq!(tracker.access(store, ro + 8, 1, stamp((1 << TS_BIT) + 1, 0), START), None);
	// Forged: a load's row turned into a store of the same bytes to a read-only word.
	let load = AccessKind { size: 4, signed: false, store: false };
	let rows = vec![tracker.access(load, ro + 8, 0, stamp((1 << TS_BIT) + 1, 0), START).expect("a load of ro data")];
	let mut forged = rows.clone();
	forged[0].kind = store;
	let mut case = case(&program, &tracker, &forged);
	assert_eq!(case.traces[0][columns::LANE + lane::RO][0], Base::one());
	assert!(refused_by_prover(&case) && !accepted(&case));
	// The same store claimed on a read-write lane of the read-only word finds no RAM cell.
	case.traces[0][columns::LANE + lane::RO][0] = Base::zero();
	case.traces[0][columns::LANE + lane::RAM][0] = Base::one();
	assert!(!accepted(&case));
}

/// Review M-2: a word's packing has non-boolean preimages. A `load_u8` whose old bits 0..7
/// are replaced by a chosen byte, compensated in bit 8's cell by a non-boolean value so that
/// the packed word (the cell on the bus) is unchanged, would return the chosen byte; the
/// booleanity of the old bits refuses it.
#[test]
fn a_non_boolean_word_cell_cannot_forge_a_load() {
	use columns::lane;
	let mut rng = Rng(0xb001);
	let program = program(&mut rng);
	let rw = program.regions[1].address;
	let mut tracker = Tracker::new(&program);
	let ts = |i: u32| stamp((1 << TS_BIT) + i, 0);
	let store = AccessKind { size: 8, signed: false, store: true };
	let load = AccessKind { size: 1, signed: false, store: false };
	let rows = vec![
		tracker.access(store, rw, 0x0102_0304_0506_0708, ts(1), START).expect("in rw"),
		tracker.access(load, rw, 0, ts(2), START).expect("in rw"),
	];
	assert_eq!(rows[1].value, 0x08);
	let chosen = 0x5au64;
	let mut forged = rows.clone();
	forged[1].value = chosen;
	let mut case = case(&program, &tracker, &forged);
	let trace = &mut case.traces[0];
	let (old, new) = (columns::LANE + lane::OLD, columns::LANE + lane::NEW);
	// δ = the change of bits 0..7 as a polynomial; bit 8's cell absorbs δ / x^8.
	let delta = Base::from_value((0x08 ^ chosen) as u32);
	let compensation = delta.mul(&Base::from_value(1 << 8).inv());
	for k in 0..8 {
		let bit = Base::from_value(((chosen >> k) & 1) as u32);
		trace[old + k][1] = bit;
		trace[new + k][1] = bit;
	}
	trace[old + 8][1] = trace[old + 8][1].add(&compensation);
	trace[new + 8][1] = trace[new + 8][1].add(&compensation);
	assert!(refused_by_prover(&case));
	assert!(!accepted(&case));
}

/// Lazy reset: a word stored in one invocation and loaded in the next reads its initial value;
/// a load that claims the stored value instead (its first-touch flag cleared) is rejected.
#[test]
fn a_new_invocation_sees_the_initial_memory() {
	let mut rng = Rng(0x1a2e);
	let program = program(&mut rng);
	let rw = program.regions[1].address;
	let mut tracker = Tracker::new(&program);
	let store = AccessKind { size: 8, signed: false, store: true };
	let load = AccessKind { size: 8, signed: false, store: false };
	let ts = |i: u32| stamp((1 << TS_BIT) + i, 0);
	let second = (1 << TS_BIT) + 5;
	let initial = tracker.ram_image().iter().find(|&&(w, _)| w == rw / 8).expect("a rw word").1;
	let rows = vec![
		tracker.access(store, rw, 7, ts(1), START).expect("in rw"),
		tracker.access(load, rw, 0, ts(2), START).expect("in rw"),
		tracker.access(load, rw, 0, ts(6), second).expect("in rw"),
	];
	assert_eq!(rows[1].value, 7, "the same invocation sees its store");
	assert_eq!(rows[2].value, initial, "the next one sees the initial value");
	let honest = case(&program, &tracker, &rows);
	assert!(accepted(&honest));
	// The RAM table's final value of the word and its initial-value counter (`reads` reads),
	// set so that the forgeries below balance every bus and only the first-touch flag is wrong.
	let word_row = tracker.ram_image().iter().position(|&(w, _)| w == rw / 8).expect("a rw word");
	let with_reads = |rows: &[AccessRow], last: u64, reads: u64| {
		let mut case = case(&program, &tracker, rows);
		case.traces[1][3][word_row] = Base::from_value(last as u32);
		case.traces[1][4][word_row] = Base::from_value((last >> 32) as u32);
		case.traces[1][7][word_row] = agentic_polkavm_proof::cpu::counter_step().pow(reads);
		case
	};
	let counter = |reads: u64| agentic_polkavm_proof::cpu::counter_step().pow(reads);
	// The next invocation's load claims the stored value: no first touch.
	let mut forged = rows.clone();
	let lane = forged[2].lanes[0].as_mut().expect("lane 0");
	(lane.first, lane.old, lane.new) = (None, 7, 7);
	forged[2].value = 7;
	let forged = with_reads(&forged, 7, 1);
	assert!(refused_by_prover(&forged));
	assert!(!accepted(&forged), "a stale value across invocations accepted");
	// The same invocation's load claims a first touch: the initial value, not the store.
	let mut forged = rows.clone();
	let lane = forged[1].lanes[0].as_mut().expect("lane 0");
	(lane.first, lane.old, lane.new) = (Some(counter(2)), initial, initial);
	forged[1].value = initial;
	let lane = forged[2].lanes[0].as_mut().expect("lane 0");
	(lane.first, lane.cur) = (Some(counter(1)), initial);
	let forged = with_reads(&forged, initial, 3);
	assert!(refused_by_prover(&forged));
	assert!(!accepted(&forged), "a store lost within an invocation accepted");
}

#[test]
fn the_chip_analyzes_within_the_degree_budget() {
	let info = agentic_air::analyze(&Table::Access).expect("analyze");
	assert_eq!(info.width, columns::WIDTH);
	assert_eq!(columns::WIDTH, 776, "554 with one-word timestamps; 639 with two-word ones; 776 with lazy reset");
	assert_eq!(info.max_degree, 14, "the bus leaves: active and 13 receive slot degrees (the request, and per lane a RAM cell, an image read and an initial-value read)");
	let own = info.constraints.iter().filter(|c| c.kind == agentic_air::ConstraintKind::Air);
	assert!(own.clone().all(|c| c.degree <= 4));
	assert!(info.unused_columns.is_empty(), "{:?}", info.unused_columns);
}

/// The byte equations (one per byte, its eight bits packed) refuse every pattern of flipped
/// bits within a byte, on the row flipped: a loaded value's byte (against the old bytes it
/// selects), a sign-extended byte above a signed load's size, a stored word's new byte in lane
/// 0 (spliced or kept) and in lane 1 of a store that crosses words; one bit, two, three, all
/// eight.
#[test]
fn every_flip_pattern_within_a_byte_violates_its_equation() {
	let mut rng = Rng(0xb7e5);
	let program = program(&mut rng);
	let mut tracker = Tracker::new(&program);
	let rows = accesses(&mut rng, &program, &mut tracker, 200);
	let trace = agentic_polkavm_proof::memory::trace(&rows, num_vars(rows.len()));
	agentic_air::check_trace(&Table::Access, &trace, rows.len() as u64).expect("honest rows");
	let find = |what: &str, wanted: &dyn Fn(&AccessRow) -> bool| rows.iter().position(wanted).expect(what);
	let load = find("a load", &|r| !r.kind.store);
	let signed =
		find("a negative signed load below 8 bytes", &|r| r.kind.signed && r.kind.size < 8 && (r.value >> 63) == 1);
	let store = find("a store", &|r| r.kind.store);
	let crossing = find("a store that crosses words", &|r| r.kind.store && r.lanes[1].is_some());
	let new_byte =
		|lane: usize, byte: usize| columns::LANE + lane * columns::lane::WIDTH + columns::lane::NEW + 8 * byte;
	let v_byte = |byte: usize| columns::V + 8 * byte;
	let top = rows[signed].kind.size as usize;
	let patterns: [&[usize]; 6] = [&[0], &[7], &[0, 1], &[3, 7], &[1, 2, 4], &[0, 1, 2, 3, 4, 5, 6, 7]];
	let places = [
		(load, v_byte(0)),
		(load, v_byte(3)),
		(signed, v_byte(top)),
		(signed, v_byte(7)),
		(store, new_byte(0, 0)),
		(store, new_byte(0, 5)),
		(crossing, new_byte(1, 0)),
		(crossing, new_byte(1, 7)),
	];
	for (row, first) in places {
		for bits in patterns {
			let mut altered = trace.clone();
			for &k in bits {
				altered[first + k][row] = altered[first + k][row].add(&Base::one());
			}
			let violation = agentic_air::check_trace(&Table::Access, &altered, rows.len() as u64);
			assert_eq!(violation.map_err(|v| v.row), Err(row as u64), "bits {bits:?} from column {first}");
		}
	}
}
