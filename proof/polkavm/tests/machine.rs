//! The witness machine against polkavm's interpreter: seeded random programs over the whole v1
//! subset (arithmetic, comparisons, shifts, branches, direct and indirect jumps, loads and
//! stores inside and outside the memory map, host calls, traps), run side by side with polkavm
//! in step-tracing mode. Before every instruction the `pc` and all registers must agree, after
//! it the steps charged, and at the end the exit and every byte of memory.

mod common;

use agentic_pcs::test_utils::Rng;
use agentic_polkavm_proof::{
	machine::{Exit, Machine, MachineError},
	program::{ProgramTable, SUPPORTED},
};
use common::programs::{random_program, Mix, HOST_RESULT};
use polkavm::{
	BackendKind, Config, Engine, GasMeteringKind, InterruptKind, Module, ModuleConfig, ProgramBlob, ProgramCounter, Reg,
};
use polkavm_common::program::Opcode;

const STEP_LIMIT: u64 = 3000;
/// Runs `blob` in both machines side by side; returns the opcodes executed and how the run
/// ended.
fn run_both(blob: &[u8]) -> (Vec<Opcode>, &'static str) {
	let table = ProgramTable::from_blob(blob, "step").expect("inside the subset");
	let mut ours = Machine::new(&table);

	let mut config = Config::new();
	config.set_backend(Some(BackendKind::Interpreter));
	let engine = Engine::new(&config).expect("engine");
	let mut module_config = ModuleConfig::new();
	module_config.set_gas_metering(Some(GasMeteringKind::Sync));
	module_config.set_step_tracing(true);
	let parsed = ProgramBlob::parse(blob.to_vec().into()).expect("parses");
	let module = Module::from_blob(&engine, &module_config, parsed).expect("module");
	let mut theirs = module.instantiate().expect("instance");
	theirs.set_gas(STEP_LIMIT as i64);
	theirs.prepare_call_untyped(ProgramCounter(table.entry), &[]);

	let mut executed = Vec::new();
	let mut last = None;
	let end = loop {
		match theirs.run().expect("polkavm runs") {
			InterruptKind::Step => {
				let pc = theirs.program_counter().expect("a pc at a step").0;
				assert_eq!(ours.pc(), Some(pc), "pc after {} instructions", executed.len());
				for (r, register) in Reg::ALL.iter().enumerate() {
					assert_eq!(ours.reg(r), theirs.reg(*register), "{register} before pc {pc}");
				}
				// polkavm charges a block after the step interrupt of its first instruction.
				assert_eq!(ours.steps(), STEP_LIMIT - theirs.gas() as u64, "steps before pc {pc}");
				match ours.step(STEP_LIMIT) {
					Ok(step) => {
						executed.push(step.row.opcode);
						last = Some(step.exit);
					},
					Err(MachineError::OutOfSteps) => {
						assert!(matches!(theirs.run().expect("runs"), InterruptKind::NotEnoughGas));
						break "out of steps";
					},
					Err(e) => panic!("our machine stopped at pc {pc}: {e:?}"),
				}
			},
			InterruptKind::Ecalli(n) => {
				assert_eq!(last, Some(Exit::Ecalli(n)));
				theirs.set_reg(Reg::A0, HOST_RESULT);
				ours.set_reg(agentic_polkavm_proof::machine::A0, HOST_RESULT);
			},
			InterruptKind::Finished => {
				assert_eq!(ours.pc(), None, "polkavm finished and we did not");
				assert_eq!(last, Some(Exit::Finished));
				break "finished";
			},
			InterruptKind::Trap | InterruptKind::Segfault(_) => {
				assert_eq!(ours.pc(), None, "polkavm trapped and we did not");
				assert_eq!(last, Some(Exit::Trap));
				break "trapped";
			},
			InterruptKind::NotEnoughGas => {
				assert!(matches!(ours.step(STEP_LIMIT), Err(MachineError::OutOfSteps)));
				break "out of steps";
			},
		}
	};
	if end != "out of steps" {
		assert_eq!(ours.steps(), STEP_LIMIT - theirs.gas() as u64, "steps at the end");
	}
	for region in &table.regions {
		let theirs = theirs.read_memory(region.address, region.len).expect("mapped");
		let ours = ours.read(region.address, region.len).expect("mapped");
		if let Some(at) = (0..ours.len()).find(|&i| ours[i] != theirs[i]) {
			panic!("byte {at} of the region at {:#x}: ours {}, polkavm's {}", region.address, ours[at], theirs[at]);
		}
	}
	(executed, end)
}

#[test]
fn the_machine_agrees_with_polkavm_on_random_programs() {
	let mut rng = Rng(0x9e37_79b9_2026_1126);
	let mut executed = std::collections::BTreeMap::new();
	let mut ends = std::collections::BTreeMap::new();
	for _ in 0..300 {
		let blob = random_program(&mut rng, Mix::Everything);
		let (opcodes, end) = run_both(&blob);
		for opcode in opcodes {
			*executed.entry(opcode.name()).or_insert(0u32) += 1;
		}
		*ends.entry(end).or_insert(0) += 1;
	}
	println!("{} instructions compared; {ends:?}", executed.values().sum::<u32>());
	// Every instruction of the subset ran, and runs ended in every way.
	let missing: Vec<_> = SUPPORTED.iter().map(|o| o.name()).filter(|name| !executed.contains_key(name)).collect();
	assert!(missing.is_empty(), "never executed: {missing:?}");
	for end in ["finished", "trapped", "out of steps"] {
		assert!(ends.get(end).copied().unwrap_or(0) > 5, "{ends:?}");
	}
}

/// The requests a run makes are what the chips prove: the ALU and shift requests of a few
/// random programs, sent by the verifier, balance against the two chips' tables in one proof.
#[test]
fn a_runs_requests_prove_with_the_chips() {
	use agentic_air::Direction;
	use agentic_polkavm_proof::{alu, bus, shift, Table};
	use agentic_zerocheck::{prover::prove_tables, verify_tables, Config, PublicInteraction, TableStatement, Tables};

	let mut rng = Rng(0xa1u64 << 40 | 0x77);
	let (mut alu_requests, mut shift_requests) = (Vec::new(), Vec::new());
	while alu_requests.len() < 200 || shift_requests.len() < 50 {
		let blob = random_program(&mut rng, Mix::Everything);
		let table = ProgramTable::from_blob(&blob, "step").expect("inside the subset");
		let mut machine = Machine::new(&table);
		while let Ok(step) = machine.step(STEP_LIMIT) {
			alu_requests.extend(step.alu);
			shift_requests.extend(step.shift);
			if let Exit::Ecalli(_) = step.exit {
				machine.set_reg(agentic_polkavm_proof::machine::A0, HOST_RESULT);
			}
		}
	}
	let send = |bus: u32, fields: Vec<agentic_air::Base>| PublicInteraction { bus, direction: Direction::Send, fields };
	let public_interactions = alu_requests
		.iter()
		.map(|&(op, a, b, c)| send(bus::ALU, alu::tuple(op, a, b, c)))
		.chain(shift_requests.iter().map(|&(op, a, b, c)| send(bus::SHIFT, shift::tuple(op, a, b, c))))
		.collect();
	let table = |rows: usize| TableStatement { active_rows: rows as u64, boundaries: vec![], public_columns: vec![] };
	let statement = Tables {
		context: b"requests".to_vec(),
		tables: vec![table(alu_requests.len()), table(shift_requests.len())],
		public_interactions,
	};
	let num_vars = |rows: usize| usize::BITS - rows.leading_zeros();
	let alu_ops: Vec<_> = alu_requests.iter().map(|&(op, a, b, _)| (op, a, b)).collect();
	let shift_ops: Vec<_> = shift_requests.iter().map(|&(op, a, b, _)| (op, a, b)).collect();
	let traces = [alu::trace(&alu_ops, num_vars(alu_ops.len())), shift::trace(&shift_ops, num_vars(shift_ops.len()))];
	let config = Config { num_queries: 16, grinding_bits: 2, max_stacked_values: u64::MAX };
	let airs = [&Table::Alu, &Table::Shift];
	let proof = prove_tables(&airs, &statement, &config, &[&traces[0], &traces[1]]).expect("the requests are true");
	verify_tables(&airs, &statement, &config, &proof).expect("and verify");
	// A request sent on the wrong bus finds no chip to answer it.
	let mut swapped = statement.clone();
	let first_shift = alu_requests.len();
	swapped.public_interactions[first_shift].bus = bus::ALU;
	assert!(verify_tables(&airs, &swapped, &config, &proof).is_err());
}
