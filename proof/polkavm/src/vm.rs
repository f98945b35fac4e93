//! Proofs of whole runs (one invocation per input, with registers, control flow, memory, host
//! calls, state, and `trap` with the rollback of the invocation's state writes): the statement
//! both sides build from the program and the claim, the prover's witness from the machine, and
//! the verifier.

use agentic_air::{ext::Coordinates, Base, BinaryFieldElement, Direction};
use agentic_zerocheck::{
	Boundary, Config, PublicColumn, PublicInteraction, TableStatement, Tables, TraceProof, ZerocheckError,
};
use alloc::{vec, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode};

use crate::{
	bus,
	cpu::{self, columns, fields, gas_generator},
	host,
	machine::REGISTERS,
	memory::Tracker,
	program::ProgramTable,
	state::{self, PAGE},
	Table,
};
use agentic_primitives::abi;

pub use crate::host::RunInput;

/// The transcript domain of a run proof.
pub const DOMAIN: &[u8] = b"agentic-polkavm-v1";

/// A state page the run touched, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Page {
	/// The page's index.
	pub index: u32,
	/// Its bytes before the run.
	pub old: [u8; PAGE],
	/// Its bytes after it.
	pub new: [u8; PAGE],
}

/// One invocation's outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct Output {
	/// The invocation trapped (its output and state writes are discarded).
	pub trapped: bool,
	/// What it output.
	pub data: Vec<u8>,
}

/// What a run proof claims: the program (given separately) run once per input, in order, each
/// time from its entry point with fresh registers and its initial memory, on this state and
/// time, charges exactly `steps` (as exec.rs counts them: the invocation starts, the
/// instructions, the host calls and the pages), produces these outputs (an invocation that
/// traps outputs nothing and its state writes are undone) and leaves the touched pages with
/// these contents.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Claim {
	/// The steps charged.
	pub steps: u64,
	/// The inputs, one per invocation.
	pub inputs: Vec<Vec<u8>>,
	/// The state's depth.
	pub depth: u8,
	/// The declared consensus time.
	pub time: Option<u64>,
	/// The pages the run touched, ascending.
	pub pages: Vec<Page>,
	/// One output per input.
	pub outputs: Vec<Output>,
}

impl Claim {
	/// The steps the CPU's gas counter accounts for: the claim's, less the invocation starts
	/// and the pages (which the verifier knows), or `None` if they do not cover those.
	fn counted_steps(&self, program: &ProgramTable) -> Option<u64> {
		let invocation = abi::INVOCATION_STEPS + program.memory.div_ceil(abi::MEMORY_BYTES_PER_STEP);
		let invocations = invocation.checked_mul(self.inputs.len() as u64)?;
		let pages = abi::PAGE_STEPS.checked_mul(self.pages.len() as u64)?;
		self.steps.checked_sub(invocations)?.checked_sub(pages)
	}

	/// The pages as the state table's public columns take them.
	fn page_contents(&self) -> Vec<(u32, [u8; PAGE], [u8; PAGE])> {
		self.pages.iter().map(|page| (page.index, page.old, page.new)).collect()
	}
}

/// The most state depth (`2^16` pages of 256 bytes: addresses below `2^24`).
pub const MAX_DEPTH: u8 = 16;

/// The most public interactions a run's statement may have (one per invocation and one per
/// output byte): `2^18`, enough for 64 full outputs, far more than the chain's submissions
/// carry, and small enough that the runtime's allocator never sees a large vector.
pub const MAX_PUBLIC_INTERACTIONS: u64 = 1 << 18;

/// A run proof: the heights the prover chose for its tables and the trace proof.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking)]
pub struct RunProof {
	/// Instructions executed (the CPU table's `R`).
	pub instructions: u64,
	/// ALU requests (0: no ALU table).
	pub alu_requests: u64,
	/// Shift requests (0: no shift table).
	pub shift_requests: u64,
	/// Memory accesses (0: no access chip).
	pub accesses: u64,
	/// Host calls (0: no host-call table).
	pub host_calls: u64,
	/// Bytes the host calls moved (0: no host-byte table).
	pub host_bytes: u64,
	/// The tables' proof.
	pub proof: TraceProof,
}

/// Why a run proof was refused or could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
	/// The proof's heights are impossible (no instructions, or more than `2^30` rows).
	BadShape,
	/// The claim is malformed: no input, not one output per input, a trapped invocation with
	/// output, pages not ascending or outside the state, a depth above [`MAX_DEPTH`], inputs or
	/// an output too long, more invocations and output bytes than [`MAX_PUBLIC_INTERACTIONS`],
	/// or fewer steps than the invocations and the pages cost.
	BadClaim,
	/// The tables' proof failed.
	Zerocheck(ZerocheckError),
	/// The run cannot be proven yet: polkavm traps on its own (an access outside the memory
	/// map, a bad dynamic jump, a host call's bad pointer or length), a trapping invocation
	/// touched `2^17` state bytes or more, or the run does not end within the step limit.
	Unprovable,
}

/// The most rows a table may have.
const MAX_ROWS: u64 = 1 << 30;

fn num_vars(rows: u64) -> u32 {
	u64::BITS - rows.leading_zeros()
}

/// The tables of a run in proof order, with their heights.
fn tables(program: &ProgramTable, claim: &Claim, proof: &RunProof) -> Vec<(Table, u64)> {
	let cpu = Table::Cpu(cpu::Cpu {
		num_vars: num_vars(proof.instructions),
		entry: program.entry,
		stack_top: program.stack_top,
	});
	let mut tables = vec![(cpu, proof.instructions), (Table::Program, program.rows.len() as u64)];
	let jumps = cpu::jump_entries(program).len() as u64;
	if jumps > 0 {
		tables.push((Table::Jumps, jumps));
	}
	for (table, rows) in
		[(Table::Alu, proof.alu_requests), (Table::Shift, proof.shift_requests), (Table::Access, proof.accesses)]
	{
		if rows > 0 {
			tables.push((table, rows));
		}
	}
	let memory = Tracker::new(program);
	if !memory.ram_image().is_empty() {
		tables.push((Table::Ram, memory.ram_image().len() as u64));
	}
	if !memory.ro_image().is_empty() {
		tables.push((Table::RoImage, memory.ro_image().len() as u64));
	}
	if proof.host_calls > 0 {
		tables.push((Table::HostCalls, proof.host_calls));
		tables.push((Table::Constants, constants(claim).len() as u64));
		let input_bytes: usize = claim.inputs.iter().map(Vec::len).sum();
		if input_bytes > 0 {
			tables.push((Table::Inputs, input_bytes as u64));
		}
	}
	if proof.host_bytes > 0 {
		tables.push((Table::HostBytes, proof.host_bytes));
	}
	if !claim.pages.is_empty() {
		tables.push((Table::State, (claim.pages.len() * PAGE) as u64));
	}
	tables
}

/// The constants table's entries.
fn constants(claim: &Claim) -> Vec<(u32, Base, u64)> {
	host::constant_entries((PAGE as u64) << claim.depth, claim.time, &claim.inputs)
}

/// The statement both sides build: the program's public columns, the boundaries of the claim.
fn statement(program: &ProgramTable, claim: &Claim, proof: &RunProof) -> Result<Tables, RunError> {
	let heights = [
		proof.instructions,
		proof.alu_requests,
		proof.shift_requests,
		proof.accesses,
		proof.host_calls,
		proof.host_bytes,
	];
	// Timestamps are 2^29 + the CPU row, so the CPU table stays below 2^29 rows.
	if proof.instructions == 0
		|| proof.instructions >= 1 << crate::memory::TS_BIT
		|| heights.iter().any(|&r| r >= MAX_ROWS)
	{
		return Err(RunError::BadShape);
	}
	let pages_ascending = claim.pages.windows(2).all(|pair| pair[0].index < pair[1].index);
	let pages_inside = claim.pages.iter().all(|page| u64::from(page.index) < 1 << claim.depth.min(MAX_DEPTH));
	let input_bytes: u64 = claim.inputs.iter().map(|input| input.len() as u64).sum();
	// The verifier's public interactions: one per invocation and one per output byte (checked
	// before they are built: review LS-1).
	let interactions = claim.outputs.iter().map(|output| 1 + output.data.len() as u64).sum::<u64>();
	if claim.inputs.is_empty()
		|| interactions > MAX_PUBLIC_INTERACTIONS
		|| claim.outputs.len() != claim.inputs.len()
		|| claim
			.outputs
			.iter()
			.any(|output| (output.trapped && !output.data.is_empty()) || output.data.len() > abi::MAX_OUTPUT_LEN)
		|| claim.depth > MAX_DEPTH
		|| !pages_ascending
		|| !pages_inside
		|| input_bytes >= 1 << 24
	{
		return Err(RunError::BadClaim);
	}
	let counted = claim.counted_steps(program).ok_or(RunError::BadClaim)?;
	let coordinates = Coordinates::new();
	let boundary = |column: usize, row: u64, value: Base| Boundary { column: column as u32, row, value };
	let registers = |row: u64, values: [u64; REGISTERS]| -> Vec<Boundary> {
		values
			.iter()
			.enumerate()
			.flat_map(|(k, &v)| {
				[
					boundary(columns::REGS + 2 * k, row, Base::from_value(v as u32)),
					boundary(columns::REGS + 2 * k + 1, row, Base::from_value((v >> 32) as u32)),
				]
			})
			.collect()
	};
	let r = proof.instructions;
	let shape = cpu::Cpu { num_vars: num_vars(r), entry: program.entry, stack_top: program.stack_top };
	let mut cpu = vec![boundary(columns::FIELDS + fields::PC, 0, Base::from_value(program.entry))];
	cpu.extend(registers(0, shape.initial_registers()));
	cpu.push(boundary(columns::E, 0, Base::one()));
	cpu.push(boundary(columns::K, 0, host::invocation_name(1)));
	cpu.push(boundary(columns::OUT, 0, Base::zero()));
	for (k, value) in [Base::one(), Base::zero(), Base::zero(), Base::zero()].into_iter().enumerate() {
		cpu.push(boundary(columns::CNT + k, 0, value));
	}
	// Row R - 1 ended the last invocation.
	cpu.push(boundary(columns::E, r, Base::one()));
	cpu.push(boundary(columns::K, r, host::invocation_name(claim.inputs.len() + 1)));
	for (k, value) in coordinates.of(gas_generator().pow(counted)).into_iter().enumerate() {
		cpu.push(boundary(columns::CNT + k, r, value));
	}
	cpu.sort_by_key(|b| (b.row, b.column));

	let public = |columns: Vec<Vec<Base>>| {
		columns.into_iter().enumerate().map(|(column, values)| PublicColumn { column: column as u32, values }).collect()
	};
	let memory = Tracker::new(program);
	let mut statements = Vec::new();
	for (table, rows) in tables(program, claim, proof) {
		let n = num_vars(rows);
		let public_columns = match table {
			Table::Program => public(cpu::program_columns(program, n, &coordinates)),
			Table::Jumps => public(cpu::jump_columns(program, n)),
			Table::Ram => public(memory.ram_public_columns(n)),
			Table::RoImage => public(memory.ro_public_columns(n)),
			Table::Constants => public(host::constant_columns(&constants(claim), n)),
			Table::Inputs => public(host::input_columns(&claim.inputs, n)),
			Table::State => public(state::public_columns(&claim.page_contents(), n)),
			_ => Vec::new(),
		};
		let boundaries = if matches!(table, Table::Cpu(_)) { core::mem::take(&mut cpu) } else { Vec::new() };
		statements.push(TableStatement { active_rows: rows, boundaries, public_columns });
	}
	// Each invocation starts once, in order, trapping or not as claimed; each byte of each
	// output is received once, at its invocation and position (a trapped output is empty).
	let mut public_interactions = Vec::with_capacity(interactions as usize);
	for (k, output) in claim.outputs.iter().enumerate() {
		let name = host::invocation_name(k + 1);
		let trapped = Base::from_value(u32::from(output.trapped));
		public_interactions.push(PublicInteraction {
			bus: bus::INVOCATION,
			direction: Direction::Send,
			fields: vec![name, trapped],
		});
		public_interactions.extend(output.data.iter().enumerate().map(|(position, &byte)| PublicInteraction {
			bus: bus::OUTPUT,
			direction: Direction::Receive,
			fields: vec![name, Base::from_value(position as u32), Base::from_value(u32::from(byte))],
		}));
	}
	let mut context = DOMAIN.to_vec();
	claim.encode_to(&mut context);
	Ok(Tables { context, tables: statements, public_interactions })
}

/// Checks a run proof against the program and the claim.
pub fn verify(program: &ProgramTable, claim: &Claim, proof: &RunProof, config: &Config) -> Result<(), RunError> {
	let statement = statement(program, claim, proof)?;
	let airs: Vec<Table> = tables(program, claim, proof).into_iter().map(|(table, _)| table).collect();
	let airs: Vec<&Table> = airs.iter().collect();
	agentic_zerocheck::verify_tables(&airs, &statement, config, &proof.proof).map_err(RunError::Zerocheck)
}

#[cfg(feature = "prover")]
pub use prover::{prove, witness, Witness};

/// Consistent forgeries of run witnesses, for the tests that show the verifier rejects them
/// (feature `forge`; `docs/proof-system.md`, review TR-1 and TR-2).
#[cfg(feature = "forge")]
pub mod forge {
	pub use super::prover::{forged_witness, Forgery};
}

#[cfg(feature = "prover")]
mod prover {
	use super::*;
	use crate::{
		alu::{self, AluOp},
		cpu::{counter_step, signal},
		decode::{self, Signals},
		host::{ByteRow, CallRow, Current, Host, Request},
		machine::{Exit, Machine, Step},
		shift::{self, ShiftOp},
	};
	use agentic_air::Ext;
	use agentic_pcs::field::{inv_base, mul_base};
	use agentic_primitives::abi::HostCall;
	use alloc::collections::BTreeMap;

	/// How often each key (a `pc`, a jump address) was read.
	type Reads = BTreeMap<u32, u64>;

	/// Every nonzero value replaced by its inverse, zeros kept, with one inversion in all
	/// (Montgomery's trick: the prefix products, the inverse of their total, then back).
	pub(crate) fn invert_nonzero(values: &mut [Base]) {
		let mut prefix = Vec::with_capacity(values.len());
		let mut product = Base::one();
		for value in values.iter() {
			prefix.push(product);
			if *value != Base::zero() {
				product = mul_base(&product, value);
			}
		}
		let mut inverse = inv_base(&product);
		for (value, before) in values.iter_mut().zip(prefix).rev() {
			if *value != Base::zero() {
				let value_inverse = mul_base(&inverse, &before);
				inverse = mul_base(&inverse, value);
				*value = value_inverse;
			}
		}
	}

	/// Everything the prover commits to for one run.
	pub struct Witness {
		/// The claim the run supports.
		pub claim: Claim,
		/// The proof's heights (its `proof` field empty).
		pub shape: RunProof,
		/// The tables' columns, in proof order.
		pub traces: Vec<Vec<Vec<Base>>>,
	}

	/// Runs the program once per input, each time from its entry point with fresh registers and
	/// memory, and builds the witness of the run.
	pub fn witness(program: &ProgramTable, run: &RunInput, step_limit: u64) -> Result<Witness, RunError> {
		witness_with(program, run, step_limit, None)
	}

	/// One lie about a run: the witness is built as for the honest run except for it, and its
	/// claim is the one the lie supports.
	#[derive(Clone, Copy, Debug, PartialEq, Eq)]
	#[cfg_attr(not(feature = "forge"), allow(dead_code))]
	pub enum Forgery {
		/// The invocation with this index traps but is claimed to return: its rows say it does
		/// not trap, its trap restores nothing, and its output is published.
		TrapAsReturn(usize),
		/// The invocation with this index returns but is claimed to trap: its rows say it traps
		/// and its output is withheld.
		ReturnAsTrap(usize),
		/// Every trap restores nothing: the trapping invocations' state writes stay.
		SkipRollback,
		/// Every rollback leaves its first byte (the lowest address) as the invocation left it.
		DropFirstRestore,
	}

	/// The witness of the run with the lie told (see [`Forgery`]).
	#[cfg(feature = "forge")]
	pub fn forged_witness(
		program: &ProgramTable,
		run: &RunInput,
		step_limit: u64,
		forgery: Forgery,
	) -> Result<Witness, RunError> {
		witness_with(program, run, step_limit, Some(forgery))
	}

	fn witness_with(
		program: &ProgramTable,
		run: &RunInput,
		step_limit: u64,
		forgery: Option<Forgery>,
	) -> Result<Witness, RunError> {
		let mut host = Host::default();
		let mut rows: Vec<([u64; REGISTERS], Step)> = Vec::new();
		// Per row: its invocation (index, first timestamp's high word, whether it traps), its
		// host request.
		let mut invocations: Vec<(usize, u32, bool)> = Vec::new();
		let mut calls: Vec<Option<CallRow>> = Vec::new();
		let mut bytes: Vec<ByteRow> = Vec::new();
		let mut outputs = Vec::new();
		let mut steps = 0u64;
		for (index, input) in run.inputs.iter().enumerate() {
			let mut machine = Machine::new(program);
			host.start();
			let t_inv = (1 << crate::memory::TS_BIT) + rows.len() as u32;
			let current = Current { index, t_inv, input };
			let (first_row, first_byte) = (rows.len(), bytes.len());
			let trapped = loop {
				let registers = core::array::from_fn(|k| machine.reg(k));
				let mut step = machine.step(step_limit).map_err(|_| RunError::Unprovable)?;
				let signals = decode::signals(step.row.opcode).ok_or(RunError::Unprovable)?;
				let exit = step.exit;
				let ts_hi = (1 << crate::memory::TS_BIT) + rows.len() as u32;
				let mut call = None;
				if let Exit::Ecalli(_) = exit {
					let which = step.row.call.ok_or(RunError::Unprovable)?;
					let (row, moved) =
						host.call(&mut machine, run, current, which, ts_hi).ok_or(RunError::Unprovable)?;
					step.write = Some((crate::machine::A0 as u8, row.result));
					bytes.extend(moved);
					call = Some(row);
				}
				if exit == Exit::Trap {
					// The program's own `trap` is proven with its rollback; a trap polkavm raises
					// (a bad access or dynamic jump) is not provable yet.
					if !signals.trap {
						return Err(RunError::Unprovable);
					}
					let output = host.output.clone();
					let skip = match forgery {
						Some(Forgery::TrapAsReturn(k)) if k == index => usize::MAX,
						Some(Forgery::SkipRollback) => usize::MAX,
						Some(Forgery::DropFirstRestore) => 1,
						_ => 0,
					};
					let (row, restored) =
						host.restore(&machine, run, current, ts_hi, skip).ok_or(RunError::Unprovable)?;
					if forgery == Some(Forgery::TrapAsReturn(index)) {
						host.output = output;
					}
					bytes.extend(restored);
					call = Some(row);
				}
				rows.push((registers, step));
				invocations.push((index, t_inv, false));
				calls.push(call);
				if steps + machine.steps() > step_limit {
					return Err(RunError::Unprovable);
				}
				match exit {
					Exit::Next(_) | Exit::Ecalli(_) => {},
					Exit::Finished => break false,
					Exit::Trap => break true,
				}
			};
			let trapped = match forgery {
				Some(Forgery::TrapAsReturn(k) | Forgery::ReturnAsTrap(k)) if k == index => !trapped,
				_ => trapped,
			};
			// Every row of the invocation carries its trapped flag.
			invocations[first_row..].iter_mut().for_each(|invocation| invocation.2 = trapped);
			calls[first_row..].iter_mut().flatten().for_each(|call| call.trapped = trapped);
			bytes[first_byte..].iter_mut().for_each(|byte| byte.trapped = trapped);
			steps += machine.steps();
			let data = if trapped { Vec::new() } else { host.output.clone() };
			outputs.push(Output { trapped, data });
		}
		if rows.is_empty() {
			return Err(RunError::Unprovable);
		}
		let pages = host.state.pages();
		let invocation_cost = abi::INVOCATION_STEPS + program.memory.div_ceil(abi::MEMORY_BYTES_PER_STEP);
		let steps = steps + invocation_cost * run.inputs.len() as u64 + abi::PAGE_STEPS * pages.len() as u64;
		// The limit applies to every charge, as exec.rs's meter does.
		if steps > step_limit {
			return Err(RunError::Unprovable);
		}
		let claim = Claim {
			steps,
			inputs: run.inputs.clone(),
			depth: run.depth,
			time: run.time,
			pages: pages.iter().map(|&(index, old, new)| Page { index, old, new }).collect(),
			outputs,
		};

		let call_rows: Vec<CallRow> = calls.iter().flatten().copied().collect();
		let alu_ops: Vec<(AluOp, u64, u64)> = rows
			.iter()
			.filter_map(|(_, s)| s.alu.map(|(op, a, b, _)| (op, a, b)))
			.chain(
				call_rows
					.iter()
					.filter(|row| row.call.moves_bytes())
					.flat_map(|row| row.queries.map(|(op, x, y, _)| (op, x, y))),
			)
			.collect();
		let shift_ops: Vec<(ShiftOp, u64, u64)> =
			rows.iter().filter_map(|(_, s)| s.shift.map(|(op, a, b, _)| (op, a, b))).collect();
		// The memory accesses in time order, replayed against word cells: an instruction's at
		// (2^29 + row, 0), a host call's bytes at (2^29 + row, j).
		let mut memory = Tracker::new(program);
		let mut accesses = Vec::new();
		let mut moved = bytes.iter().peekable();
		let byte_load = crate::memory::AccessKind { size: 1, signed: false, store: false };
		let byte_store = crate::memory::AccessKind { store: true, ..byte_load };
		for (i, (_, step)) in rows.iter().enumerate() {
			let ts_hi = (1 << crate::memory::TS_BIT) + i as u32;
			let kind = decode::signals(step.row.opcode).and_then(|s| s.access());
			if let (Some(access), Some(kind)) = (step.access, kind) {
				let value = access.stored.or(step.write.map(|(_, v)| v)).unwrap_or(0);
				let ts = crate::memory::stamp(ts_hi, 0);
				let t_inv = invocations[i].1;
				accesses.push(memory.access(kind, access.address, value, ts, t_inv).ok_or(RunError::Unprovable)?);
			}
			while let Some(byte) = moved.next_if(|byte| byte.ts_hi == ts_hi) {
				// A rollback's bytes stay in the state.
				if byte.call == Request::Rollback {
					continue;
				}
				let into_guest = matches!(byte.call, Request::Call(HostCall::InputRead | HostCall::StateRead));
				let kind = if into_guest { byte_store } else { byte_load };
				let ts = crate::memory::stamp(ts_hi, byte.lo);
				let row =
					memory.access(kind, byte.g, u64::from(byte.byte), ts, byte.t_inv).ok_or(RunError::Unprovable)?;
				accesses.push(row);
			}
		}
		let shape = RunProof {
			instructions: rows.len() as u64,
			alu_requests: alu_ops.len() as u64,
			shift_requests: shift_ops.len() as u64,
			accesses: accesses.len() as u64,
			host_calls: call_rows.len() as u64,
			host_bytes: bytes.len() as u64,
			// Only the heights are read until the proof is made.
			proof: TraceProof { trace_root: [0; 32], bus: None, tables: Vec::new(), opening: Default::default() },
		};

		let coordinates = Coordinates::new();
		let shape_cpu =
			cpu::Cpu { num_vars: num_vars(rows.len() as u64), entry: program.entry, stack_top: program.stack_top };
		// Each table's columns from the run's records, but the CPU's and the two whose read
		// counts the CPU's trace makes (built after it).
		let build = |(table, height): (Table, u64)| -> Vec<Vec<Base>> {
			let n = num_vars(height);
			match table {
				Table::Cpu(_) | Table::Program | Table::Jumps => Vec::new(),
				Table::Alu => alu::trace(&alu_ops, n),
				Table::Shift => shift::trace(&shift_ops, n),
				Table::Access => crate::memory::trace(&accesses, n),
				Table::Ram => memory.ram_columns(n),
				Table::RoImage => memory.ro_columns(n),
				Table::HostCalls => host::call_trace(&call_rows, n),
				Table::HostBytes => host::byte_trace(&bytes, n),
				Table::State => host.state.columns(n),
				Table::Constants => {
					let entries = constants(&claim);
					let mut columns = host::constant_columns(&entries, n);
					let mut keys = vec![(host::key::STATE_LEN, 0)];
					if claim.time.is_some() {
						keys.push((host::key::TIME, 0));
					}
					keys.extend((1..=claim.inputs.len()).map(|k| (host::key::INPUT_LEN, k)));
					columns.push(final_counters(keys.into_iter(), &host.constant_reads, n));
					columns
				},
				Table::Inputs => {
					let mut columns = host::input_columns(&claim.inputs, n);
					let positions = claim
						.inputs
						.iter()
						.enumerate()
						.flat_map(|(k, input)| (0..input.len() as u32).map(move |i| (k, i)));
					columns.push(final_counters(positions, &host.input_reads, n));
					columns
				},
			}
		};
		let tables = tables(program, &claim, &shape);
		let cpu_trace = || cpu_trace(&rows, &calls, &invocations, &shape_cpu, &coordinates);
		// With feature `parallel`, the CPU's trace (the largest) beside the others, each on any
		// core.
		#[cfg(feature = "parallel")]
		let ((cpu, program_reads, jump_reads), mut traces) = {
			use rayon::prelude::*;
			rayon::join(cpu_trace, || tables.par_iter().map(|&table| build(table)).collect::<Vec<_>>())
		};
		#[cfg(not(feature = "parallel"))]
		let ((cpu, program_reads, jump_reads), mut traces) =
			(cpu_trace(), tables.iter().map(|&table| build(table)).collect::<Vec<_>>());
		let mut cpu = Some(cpu);
		for (columns, &(table, height)) in traces.iter_mut().zip(&tables) {
			let n = num_vars(height);
			match table {
				Table::Cpu(_) => *columns = cpu.take().unwrap_or_default(),
				Table::Program => {
					*columns = cpu::program_columns(program, n, &coordinates);
					columns.push(final_counters(program.rows.iter().map(|row| row.pc), &program_reads, n));
				},
				Table::Jumps => {
					*columns = cpu::jump_columns(program, n);
					let addresses = cpu::jump_entries(program).into_iter().map(|(address, _)| address);
					columns.push(final_counters(addresses, &jump_reads, n));
				},
				_ => {},
			}
		}
		debug_assert!(cpu.is_none(), "every run has a CPU table");
		Ok(Witness { claim, shape, traces })
	}

	/// `ω^reads` for each key in table order, zero below.
	fn final_counters<Key: Ord>(
		keys: impl Iterator<Item = Key>,
		reads: &BTreeMap<Key, u64>,
		num_vars: u32,
	) -> Vec<Base> {
		let mut column = vec![Base::zero(); 1 << num_vars];
		for (i, key) in keys.enumerate() {
			column[i] = counter_step().pow(reads.get(&key).copied().unwrap_or(0));
		}
		column
	}

	/// The CPU table, and how often each instruction and each jump-table address was read.
	fn cpu_trace(
		rows: &[([u64; REGISTERS], Step)],
		calls: &[Option<CallRow>],
		invocations: &[(usize, u32, bool)],
		shape: &cpu::Cpu,
		coordinates: &Coordinates,
	) -> (Vec<Vec<Base>>, Reads, Reads) {
		use columns::*;
		let r = rows.len();
		let height = 1usize << num_vars(r as u64);
		// Zeroed by the allocator: the pages are mapped as the rows are written.
		let mut t: Vec<Vec<Base>> = (0..WIDTH).map(|_| agentic_zerocheck::prover::zeroed_values(height)).collect();
		let word = |v: u64, w: usize| Base::from_value((v >> (32 * w)) as u32);
		let mut program_reads = BTreeMap::new();
		let mut jump_reads = BTreeMap::new();
		// Per program row (by pc: a step's row is the program's row at its pc, `machine.rs`):
		// its looked-up fields and gas factor, computed on its first execution; per pc and per
		// jump target, `ω^reads` for the next read (one product a read rather than a power).
		let mut fields_of: BTreeMap<u32, (crate::program::ProgramRow, [Base; fields::COUNT], Ext)> = BTreeMap::new();
		let mut program_rho: BTreeMap<u32, Base> = BTreeMap::new();
		let mut jump_rho: BTreeMap<u32, Base> = BTreeMap::new();
		let next_rho = |rhos: &mut BTreeMap<u32, Base>, key: u32| {
			let rho = rhos.entry(key).or_insert(Base::one());
			let current = *rho;
			*rho = mul_base(&current, &counter_step());
			current
		};
		let mut cnt = Ext::one();
		let mut out = 0u32;
		// The state columns: pc, registers, E, K, cnt, out.
		let set_state = |t: &mut Vec<Vec<Base>>,
		                 i: usize,
		                 pc: u32,
		                 registers: &[u64; REGISTERS],
		                 start: bool,
		                 k: usize,
		                 cnt: Ext,
		                 out: u32| {
			t[FIELDS + fields::PC][i] = Base::from_value(pc);
			t[OUT][i] = Base::from_value(out);
			for (k, &v) in registers.iter().enumerate() {
				t[REGS + 2 * k][i] = word(v, 0);
				t[REGS + 2 * k + 1][i] = word(v, 1);
			}
			t[E][i] = Base::from_value(u32::from(start));
			t[K][i] = crate::host::invocation_name(k + 1);
			for (k, value) in coordinates.of(cnt).into_iter().enumerate() {
				t[CNT + k][i] = value;
			}
		};
		for (i, (registers, step)) in rows.iter().enumerate() {
			let row = &step.row;
			let start = i == 0 || matches!(rows[i - 1].1.exit, Exit::Finished | Exit::Trap);
			if start {
				out = 0;
			}
			let (k, t_inv, trapped) = invocations[i];
			set_state(&mut t, i, row.pc, registers, start, k, cnt, out);
			t[T_INV][i] = Base::from_value(t_inv);
			t[T][i] = Base::from_value(u32::from(trapped));
			let (first_row, looked_up, g) = *fields_of.entry(row.pc).or_insert_with(|| {
				let looked_up = cpu::row_fields(row, coordinates);
				let g = agentic_air::ext::from_coords(&[
					looked_up[fields::G],
					looked_up[fields::G + 1],
					looked_up[fields::G + 2],
					looked_up[fields::G + 3],
				]);
				(*row, looked_up, g)
			});
			debug_assert_eq!(&first_row, row, "one program row per pc");
			for field in 1..fields::SIGNALS {
				t[FIELDS + field][i] = looked_up[field];
			}
			let signals: Signals = decode::signals(row.opcode).unwrap_or(decode::TRAP);
			for (bit, &on) in signals.bits().iter().enumerate() {
				t[SIGNALS + bit][i] = Base::from_value(u32::from(on));
			}
			*program_reads.entry(row.pc).or_insert(0u64) += 1;
			let rho = next_rho(&mut program_rho, row.pc);
			t[RHO][i] = rho;
			// Inverted with the whole column below.
			t[RHO_INV][i] = rho;
			for (flags, register) in [(D, row.rd), (A, row.ra), (B, row.rb)] {
				if let Some(k) = register {
					t[flags + k as usize][i] = Base::one();
				}
			}
			let value = |register: Option<u8>| register.map_or(0, |k| registers[k as usize]);
			let (va, vb) = (value(row.ra), value(row.rb));
			// The operands as the signals select them (on every row, with or without a
			// request), the result as the chip answered.
			let operand = |source: decode::Operand| match source {
				decode::Operand::Zero => 0,
				decode::Operand::RegA => va,
				decode::Operand::RegB => vb,
				decode::Operand::Imm => row.imm,
				decode::Operand::Imm2 => row.imm2,
			};
			let (x, y) = (operand(signals.x), operand(signals.y));
			let res = step.alu.map(|(_, _, _, c)| c).or(step.shift.map(|(_, _, _, c)| c)).unwrap_or(0);
			let wval = step.write.map_or(0, |(_, v)| v);
			for w in 0..2 {
				t[VA + w][i] = word(va, w);
				t[VB + w][i] = word(vb, w);
				t[X + w][i] = word(x, w);
				t[Y + w][i] = word(y, w);
				t[RES + w][i] = word(res, w);
				t[WVAL + w][i] = word(wval, w);
			}
			if let Some(access) = step.access {
				t[ADDRESS][i] = Base::from_value(access.address);
				let value = access.stored.unwrap_or(wval);
				for w in 0..2 {
					t[MV_OUT + w][i] = word(value, w);
					if access.stored.is_none() {
						t[LOADED + w][i] = word(wval, w);
					}
				}
			}
			let is_return = res as u32 == RETURN_TO_HOST;
			let delta = Base::from_value(res as u32).add(&Base::from_value(RETURN_TO_HOST));
			t[RET][i] = Base::from_value(u32::from(is_return));
			t[RET_INV][i] = if is_return { Base::zero() } else { delta };
			// `end = dyn · ret + trap` and `taken = branch · t`, as the AIR computes them.
			let bit = |t: &[Vec<Base>], b: usize| t[SIGNALS + b][i];
			t[END][i] = bit(&t, signal::DYN).mul(&t[RET][i]).add(&bit(&t, signal::TRAP));
			let (when, res_lo) = (bit(&t, signal::WHEN), t[RES][i]);
			let condition = when.mul(&res_lo).add(&Base::one().add(&when).mul(&Base::one().add(&res_lo)));
			t[TAKEN][i] = bit(&t, signal::BRANCH).mul(&condition);
			if let (true, false, Exit::Next(target)) = (signals.bits()[signal::DYN], is_return, step.exit) {
				t[JG][i] = Base::one();
				t[JT][i] = Base::from_value(target);
				*jump_reads.entry(res as u32).or_insert(0u64) += 1;
				let rho = next_rho(&mut jump_rho, res as u32);
				t[RHO_J][i] = rho;
				t[RHO_J_INV][i] = rho;
			}
			cnt = cnt.mul(&g);
			// H: the host call's gas factor, 1 on the other rows.
			let h = calls[i].as_ref().map_or(Ext::one(), |call| call.gas_factor());
			t[H..H + 4].iter_mut().zip(coordinates.of(h)).for_each(|(column, value)| column[i] = value);
			cnt = cnt.mul(&h);
			if let Some(call) = &calls[i] {
				t[HRES][i] = word(call.result, 0);
				t[HRES + 1][i] = word(call.result, 1);
				t[OUT_AFTER][i] = Base::from_value(call.out_after);
				out = call.out_after;
			}
		}
		for column in [RHO_INV, RET_INV, RHO_J_INV] {
			invert_nonzero(&mut t[column]);
		}
		let invocations_run = invocations[r - 1].0 + 1;
		set_state(&mut t, r, shape.entry, &shape.initial_registers(), true, invocations_run, cnt, 0);
		(t, program_reads, jump_reads)
	}

	const RETURN_TO_HOST: u32 = polkavm_common::abi::VM_ADDR_RETURN_TO_HOST;

	/// Runs the program and proves the run.
	pub fn prove(
		program: &ProgramTable,
		run: &RunInput,
		step_limit: u64,
		config: &Config,
	) -> Result<(Claim, RunProof), RunError> {
		let Witness { claim, shape, traces } = witness(program, run, step_limit)?;
		let statement = statement(program, &claim, &shape)?;
		let airs: Vec<Table> = tables(program, &claim, &shape).into_iter().map(|(table, _)| table).collect();
		let airs: Vec<&Table> = airs.iter().collect();
		let traces: Vec<&[Vec<Base>]> = traces.iter().map(|t| t.as_slice()).collect();
		let proof =
			agentic_zerocheck::prover::prove_tables(&airs, &statement, config, &traces).map_err(RunError::Zerocheck)?;
		Ok((claim, RunProof { proof, ..shape }))
	}
}

/// The statement of a run (for tests that prove altered witnesses).
#[cfg(feature = "prover")]
pub fn run_statement(
	program: &ProgramTable,
	claim: &Claim,
	proof: &RunProof,
) -> Result<(Tables, Vec<Table>), RunError> {
	Ok((statement(program, claim, proof)?, tables(program, claim, proof).into_iter().map(|(table, _)| table).collect()))
}

#[cfg(all(test, feature = "prover"))]
mod tests {
	use super::prover::invert_nonzero;
	use agentic_air::{Base, BinaryFieldElement};

	/// The batch inversion gives each nonzero value's inverse and keeps the zeros, wherever
	/// they are (none, first, last, runs of them, all).
	#[test]
	fn batch_inversion_inverts_every_nonzero_value() {
		let nonzero = |i: u32| Base::from_value(i.wrapping_mul(0x9e37_79b9) | 1);
		let cases: [Vec<Base>; 5] = [
			(0..17).map(nonzero).collect(),
			(0..9).map(|i| if i % 3 == 0 { Base::zero() } else { nonzero(i) }).collect(),
			vec![Base::zero(); 4],
			vec![nonzero(5)],
			Vec::new(),
		];
		for values in cases {
			let mut inverted = values.clone();
			invert_nonzero(&mut inverted);
			for (value, inverse) in values.iter().zip(&inverted) {
				let want = if *value == Base::zero() { Base::zero() } else { value.inv() };
				assert_eq!(*inverse, want);
			}
		}
	}
}
