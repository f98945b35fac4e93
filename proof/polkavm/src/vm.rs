//! Proofs of whole runs (one invocation with registers, control flow and memory, without host
//! calls or traps): the statement both sides build from the program and the claim, the
//! prover's witness from the machine, and the verifier.

use agentic_air::{ext::Coordinates, Base, BinaryFieldElement};
use agentic_zerocheck::{Boundary, Config, PublicColumn, TableStatement, Tables, TraceProof, ZerocheckError};
use alloc::{vec, vec::Vec};
use codec::{Decode, Encode};

use crate::{
	cpu::{self, columns, fields, gas_generator},
	machine::{RA, REGISTERS, SP},
	memory::Tracker,
	program::ProgramTable,
	Table,
};

/// The transcript domain of a v0 run proof.
pub const DOMAIN: &[u8] = b"agentic-polkavm-v0";

/// What a run proof claims: the program (given separately), run once from its entry point with
/// fresh registers, returns after charging exactly `steps`, with these registers at the end.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Claim {
	/// The steps charged (the sum of the entered blocks' costs).
	pub steps: u64,
	/// The registers after the return.
	pub registers: [u64; REGISTERS],
}

/// A run proof: the heights the prover chose for its tables and the trace proof.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RunProof {
	/// Instructions executed (the CPU table's `R`).
	pub instructions: u64,
	/// ALU requests (0: no ALU table).
	pub alu_requests: u64,
	/// Shift requests (0: no shift table).
	pub shift_requests: u64,
	/// Memory accesses (0: no access chip).
	pub accesses: u64,
	/// The tables' proof.
	pub proof: TraceProof,
}

/// Why a run proof was refused or could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
	/// The proof's heights are impossible (no instructions, or more than `2^30` rows).
	BadShape,
	/// The tables' proof failed.
	Zerocheck(ZerocheckError),
	/// The run cannot be proven yet: it traps, calls the host or does not return within the
	/// step limit.
	Unprovable,
}

/// The most rows a table may have.
const MAX_ROWS: u64 = 1 << 30;

fn num_vars(rows: u64) -> u32 {
	u64::BITS - rows.leading_zeros()
}

/// The tables of a run in proof order, with their heights.
fn tables(program: &ProgramTable, proof: &RunProof) -> Vec<(Table, u64)> {
	let cpu = Table::Cpu(num_vars(proof.instructions));
	let mut tables = vec![(cpu, proof.instructions), (Table::Program, program.rows.len() as u64)];
	let jumps = cpu::jump_entries(program).len() as u64;
	if jumps > 0 {
		tables.push((Table::Jumps, jumps));
	}
	if proof.alu_requests > 0 {
		tables.push((Table::Alu, proof.alu_requests));
	}
	if proof.shift_requests > 0 {
		tables.push((Table::Shift, proof.shift_requests));
	}
	if proof.accesses > 0 {
		tables.push((Table::Access, proof.accesses));
	}
	let memory = Tracker::new(program);
	if !memory.ram_image().is_empty() {
		tables.push((Table::Ram, memory.ram_image().len() as u64));
	}
	if !memory.ro_image().is_empty() {
		tables.push((Table::RoImage, memory.ro_image().len() as u64));
	}
	tables
}

/// The registers a call starts with.
fn initial_registers(program: &ProgramTable) -> [u64; REGISTERS] {
	let mut registers = [0; REGISTERS];
	registers[SP] = u64::from(program.stack_top);
	registers[RA] = u64::from(polkavm_common::abi::VM_ADDR_RETURN_TO_HOST);
	registers
}

/// The statement both sides build: the program's public columns, the boundaries of the claim.
fn statement(program: &ProgramTable, claim: &Claim, proof: &RunProof) -> Result<Tables, RunError> {
	let heights = [proof.instructions, proof.alu_requests, proof.shift_requests, proof.accesses];
	// Timestamps are 2^29 + the CPU row, so the CPU table stays below 2^29 rows.
	if proof.instructions == 0
		|| proof.instructions >= 1 << crate::memory::TS_BIT
		|| heights.iter().any(|&r| r >= MAX_ROWS)
	{
		return Err(RunError::BadShape);
	}
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
	let mut cpu = vec![boundary(columns::FIELDS + fields::PC, 0, Base::from_value(program.entry))];
	cpu.extend(registers(0, initial_registers(program)));
	cpu.push(boundary(columns::HALTED, 0, Base::zero()));
	for (k, value) in [Base::one(), Base::zero(), Base::zero(), Base::zero()].into_iter().enumerate() {
		cpu.push(boundary(columns::CNT + k, 0, value));
	}
	cpu.extend(registers(r, claim.registers));
	cpu.push(boundary(columns::HALTED, r, Base::one()));
	for (k, value) in coordinates.of(gas_generator().pow(claim.steps)).into_iter().enumerate() {
		cpu.push(boundary(columns::CNT + k, r, value));
	}
	cpu.sort_by_key(|b| (b.row, b.column));

	let public = |columns: Vec<Vec<Base>>| {
		columns.into_iter().enumerate().map(|(column, values)| PublicColumn { column: column as u32, values }).collect()
	};
	let memory = Tracker::new(program);
	let first_three = |mut columns: Vec<Vec<Base>>| {
		columns.truncate(3);
		columns
	};
	let mut statements = Vec::new();
	for (table, rows) in tables(program, proof) {
		let public_columns = match table {
			Table::Program => public(cpu::program_columns(program, num_vars(rows))),
			Table::Jumps => public(cpu::jump_columns(program, num_vars(rows))),
			Table::Ram => public(first_three(memory.ram_columns(num_vars(rows)))),
			Table::RoImage => public(first_three(memory.ro_columns(num_vars(rows)))),
			_ => Vec::new(),
		};
		let boundaries = if matches!(table, Table::Cpu(_)) { core::mem::take(&mut cpu) } else { Vec::new() };
		statements.push(TableStatement { active_rows: rows, boundaries, public_columns });
	}
	let mut context = DOMAIN.to_vec();
	claim.encode_to(&mut context);
	Ok(Tables { context, tables: statements, public_interactions: Vec::new() })
}

/// Checks a run proof against the program and the claim.
pub fn verify(program: &ProgramTable, claim: &Claim, proof: &RunProof, config: &Config) -> Result<(), RunError> {
	let statement = statement(program, claim, proof)?;
	let airs: Vec<Table> = tables(program, proof).into_iter().map(|(table, _)| table).collect();
	let airs: Vec<&Table> = airs.iter().collect();
	agentic_zerocheck::verify_tables(&airs, &statement, config, &proof.proof).map_err(RunError::Zerocheck)
}

#[cfg(feature = "prover")]
pub use prover::{prove, witness, Witness};

#[cfg(feature = "prover")]
mod prover {
	use super::*;
	use crate::{
		alu::{self, AluOp},
		cpu::{counter_step, signal},
		decode::{self, Signals},
		machine::{Exit, Machine, Step},
		shift::{self, ShiftOp},
	};
	use agentic_air::Ext;
	use alloc::collections::BTreeMap;

	/// How often each key (a `pc`, a jump address) was read.
	type Reads = BTreeMap<u32, u64>;

	/// Everything the prover commits to for one run.
	pub struct Witness {
		/// The claim the run supports.
		pub claim: Claim,
		/// The proof's heights (its `proof` field empty).
		pub shape: RunProof,
		/// The tables' columns, in proof order.
		pub traces: Vec<Vec<Vec<Base>>>,
	}

	/// Runs the program once from its entry point and builds the witness of the run.
	pub fn witness(program: &ProgramTable, step_limit: u64) -> Result<Witness, RunError> {
		let mut machine = Machine::new(program);
		let mut rows: Vec<([u64; REGISTERS], Step)> = Vec::new();
		loop {
			let registers = core::array::from_fn(|k| machine.reg(k));
			let step = machine.step(step_limit).map_err(|_| RunError::Unprovable)?;
			let stop = decode::signals(step.row.opcode).is_none_or(|s| s.stop());
			if stop {
				return Err(RunError::Unprovable);
			}
			let exit = step.exit;
			rows.push((registers, step));
			match exit {
				Exit::Next(_) => {},
				Exit::Finished => break,
				Exit::Ecalli(_) | Exit::Trap => return Err(RunError::Unprovable),
			}
		}
		let final_registers: [u64; REGISTERS] = core::array::from_fn(|k| machine.reg(k));
		let claim = Claim { steps: machine.steps(), registers: final_registers };

		let alu_ops: Vec<(AluOp, u64, u64)> =
			rows.iter().filter_map(|(_, s)| s.alu.map(|(op, a, b, _)| (op, a, b))).collect();
		let shift_ops: Vec<(ShiftOp, u64, u64)> =
			rows.iter().filter_map(|(_, s)| s.shift.map(|(op, a, b, _)| (op, a, b))).collect();
		// The memory accesses, replayed against word cells at timestamps 2^29 + row.
		let mut memory = Tracker::new(program);
		let mut accesses = Vec::new();
		for (i, (_, step)) in rows.iter().enumerate() {
			let kind = decode::signals(step.row.opcode).and_then(|s| s.access());
			let (Some(access), Some(kind)) = (step.access, kind) else { continue };
			let value = access.stored.or(step.write.map(|(_, v)| v)).unwrap_or(0);
			let ts = (1 << crate::memory::TS_BIT) + i as u32;
			accesses.push(memory.access(kind, access.address, value, ts).ok_or(RunError::Unprovable)?);
		}
		let shape = RunProof {
			instructions: rows.len() as u64,
			alu_requests: alu_ops.len() as u64,
			shift_requests: shift_ops.len() as u64,
			accesses: accesses.len() as u64,
			proof: TraceProof { tables: Vec::new() },
		};

		let coordinates = Coordinates::new();
		let (cpu, program_reads, jump_reads) = cpu_trace(&rows, &final_registers, &coordinates);
		let mut traces = Vec::new();
		for (table, height) in tables(program, &shape) {
			let n = num_vars(height);
			traces.push(match table {
				Table::Cpu(_) => cpu.clone(),
				Table::Program => {
					let mut columns = cpu::program_columns(program, n);
					columns.push(final_counters(program.rows.iter().map(|row| row.pc), &program_reads, n));
					columns
				},
				Table::Jumps => {
					let mut columns = cpu::jump_columns(program, n);
					let addresses = cpu::jump_entries(program).into_iter().map(|(address, _)| address);
					columns.push(final_counters(addresses, &jump_reads, n));
					columns
				},
				Table::Alu => alu::trace(&alu_ops, n),
				Table::Shift => shift::trace(&shift_ops, n),
				Table::Access => crate::memory::trace(&accesses, n),
				Table::Ram => memory.ram_columns(n),
				Table::RoImage => memory.ro_columns(n),
			});
		}
		Ok(Witness { claim, shape, traces })
	}

	/// `ω^reads` for each key in table order, zero below.
	fn final_counters(keys: impl Iterator<Item = u32>, reads: &Reads, num_vars: u32) -> Vec<Base> {
		let mut column = vec![Base::zero(); 1 << num_vars];
		for (i, key) in keys.enumerate() {
			column[i] = counter_step().pow(reads.get(&key).copied().unwrap_or(0));
		}
		column
	}

	/// The CPU table, and how often each instruction and each jump-table address was read.
	fn cpu_trace(
		rows: &[([u64; REGISTERS], Step)],
		final_registers: &[u64; REGISTERS],
		coordinates: &Coordinates,
	) -> (Vec<Vec<Base>>, Reads, Reads) {
		use columns::*;
		let r = rows.len();
		let height = 1usize << num_vars(r as u64);
		let mut t = vec![vec![Base::zero(); height]; WIDTH];
		let word = |v: u64, w: usize| Base::from_value((v >> (32 * w)) as u32);
		let mut program_reads = BTreeMap::new();
		let mut jump_reads = BTreeMap::new();
		let mut cnt = Ext::one();
		let set_state =
			|t: &mut Vec<Vec<Base>>, i: usize, pc: u32, registers: &[u64; REGISTERS], halted: bool, cnt: Ext| {
				t[FIELDS + fields::PC][i] = Base::from_value(pc);
				for (k, &v) in registers.iter().enumerate() {
					t[REGS + 2 * k][i] = word(v, 0);
					t[REGS + 2 * k + 1][i] = word(v, 1);
				}
				t[HALTED][i] = Base::from_value(u32::from(halted));
				for (k, value) in coordinates.of(cnt).into_iter().enumerate() {
					t[CNT + k][i] = value;
				}
			};
		for (i, (registers, step)) in rows.iter().enumerate() {
			let row = &step.row;
			set_state(&mut t, i, row.pc, registers, false, cnt);
			let looked_up = cpu::row_fields(row, coordinates);
			for field in 1..fields::SIGNALS {
				t[FIELDS + field][i] = looked_up[field];
			}
			let signals: Signals = decode::signals(row.opcode).unwrap_or(decode::TRAP);
			for (bit, &on) in signals.bits().iter().enumerate() {
				t[SIGNALS + bit][i] = Base::from_value(u32::from(on));
			}
			let reads = program_reads.entry(row.pc).or_insert(0u64);
			let rho = counter_step().pow(*reads);
			*reads += 1;
			t[RHO][i] = rho;
			t[RHO_INV][i] = rho.inv();
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
			t[RET_INV][i] = if is_return { Base::zero() } else { delta.inv() };
			if let (true, false, Exit::Next(target)) = (signals.bits()[signal::DYN], is_return, step.exit) {
				t[JG][i] = Base::one();
				t[JT][i] = Base::from_value(target);
				let reads = jump_reads.entry(res as u32).or_insert(0u64);
				let rho = counter_step().pow(*reads);
				*reads += 1;
				t[RHO_J][i] = rho;
				t[RHO_J_INV][i] = rho.inv();
			}
			cnt = cnt.mul(&agentic_air::ext::from_coords(&[
				looked_up[fields::G],
				looked_up[fields::G + 1],
				looked_up[fields::G + 2],
				looked_up[fields::G + 3],
			]));
		}
		let last = &rows[r - 1].1.row;
		set_state(&mut t, r, last.next_pc, final_registers, true, cnt);
		(t, program_reads, jump_reads)
	}

	const RETURN_TO_HOST: u32 = polkavm_common::abi::VM_ADDR_RETURN_TO_HOST;

	/// Runs the program and proves the run.
	pub fn prove(program: &ProgramTable, step_limit: u64, config: &Config) -> Result<(Claim, RunProof), RunError> {
		let Witness { claim, shape, traces } = witness(program, step_limit)?;
		let statement = statement(program, &claim, &shape)?;
		let airs: Vec<Table> = tables(program, &shape).into_iter().map(|(table, _)| table).collect();
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
	Ok((statement(program, claim, proof)?, tables(program, proof).into_iter().map(|(table, _)| table).collect()))
}
