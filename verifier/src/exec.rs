//! The execution engine shared by the prover worker and the re-execution verifier.
//!
//! [`run`] executes a [`Program`]'s `step` export once per input with polkavm's interpreter,
//! charging one step per instruction (polkavm's naive cost model, metered synchronously, which
//! is exact and deterministic; a basic block is charged when it is entered). The host charges the
//! same meter for its own work, so that steps bound the real cost of a run: every host call, every
//! byte it moves, every state page a run touches and every invocation start has a price in
//! [`agentic_primitives::abi`]. State is served by a [`StateAccess`] backend: the worker's full
//! state, or the verifier's witness, which fails on a page it does not hold.
//!
//! Each invocation starts from the program's initial memory image: everything an agent keeps
//! between inputs lives in its committed state. An invocation that traps (or passes a bad
//! guest pointer to a host call) has its state writes and output discarded; its steps count.

use agentic_primitives::{
	abi,
	state::{Page, PAGE_SIZE},
	Output,
};
use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use polkavm::{InterruptKind, Reg, SetCacheSizeLimitArgs};

use crate::program::{HostCall, Program};

/// Where the engine gets state pages from.
pub trait StateAccess {
	/// Depth of the state tree (`2^depth` pages).
	fn depth(&self) -> u8;
	/// The page's content before the run. Called at most once per page per run.
	fn load_page(&mut self, index: u32) -> Result<Page, ExecError>;
}

/// Why a run failed as a whole (as opposed to an invocation trapping, which is an outcome).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ExecError {
	/// The run needs more than the step limit.
	StepLimitExceeded,
	/// The backend does not hold a page the run touched.
	PageUnavailable(u32),
	/// The program read the consensus time and none was given.
	TimeNotDeclared,
	/// The virtual machine failed (not a guest trap).
	Vm,
}

/// The result of a run.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct RunResult {
	/// Steps consumed by all invocations together.
	pub steps: u64,
	/// One output per input.
	pub outputs: Vec<Output>,
	/// Pages whose content changed, with their new content.
	pub written: BTreeMap<u32, Page>,
	/// Every page the run read or wrote: what a witness for this run must hold.
	pub touched: BTreeSet<u32>,
}

/// Pages seen during a run, layered: the invocation's own writes over the run's committed writes
/// over the pages as loaded.
struct Pages<'a, S: StateAccess> {
	backend: &'a mut S,
	loaded: BTreeMap<u32, Page>,
	committed: BTreeMap<u32, Page>,
	pending: BTreeMap<u32, Page>,
	/// Pages loaded from the backend since the host last charged for them.
	uncharged_loads: u64,
}

impl<S: StateAccess> Pages<'_, S> {
	fn page(&mut self, index: u32) -> Result<Page, ExecError> {
		if let Some(p) = self.pending.get(&index).or_else(|| self.committed.get(&index)) {
			return Ok(*p);
		}
		if let Some(p) = self.loaded.get(&index) {
			return Ok(*p);
		}
		let p = self.backend.load_page(index)?;
		self.loaded.insert(index, p);
		self.uncharged_loads += 1;
		Ok(p)
	}

	fn read(&mut self, offset: u32, out: &mut [u8]) -> Result<(), ExecError> {
		let mut done = 0usize;
		while done < out.len() {
			let at = offset as usize + done;
			let index = (at / PAGE_SIZE) as u32;
			let within = at % PAGE_SIZE;
			let n = (PAGE_SIZE - within).min(out.len() - done);
			let page = self.page(index)?;
			out[done..done + n].copy_from_slice(&page[within..within + n]);
			done += n;
		}
		Ok(())
	}

	fn write(&mut self, offset: u32, data: &[u8]) -> Result<(), ExecError> {
		let mut done = 0usize;
		while done < data.len() {
			let at = offset as usize + done;
			let index = (at / PAGE_SIZE) as u32;
			let within = at % PAGE_SIZE;
			let n = (PAGE_SIZE - within).min(data.len() - done);
			let mut page = self.page(index)?;
			page[within..within + n].copy_from_slice(&data[done..done + n]);
			self.pending.insert(index, page);
			done += n;
		}
		Ok(())
	}
}

/// How one host call ended.
enum Step {
	/// Continue with this value in `a0`.
	Return(u64),
	/// The guest misbehaved (bad pointer or size): the invocation traps.
	Abort,
}

/// Takes `cost` steps from the meter, or fails the run if they are not there.
fn charge(instance: &mut polkavm::RawInstance, cost: u64) -> Result<(), ExecError> {
	let left = instance.gas();
	match i64::try_from(cost) {
		Ok(cost) if cost <= left => {
			instance.set_gas(left - cost);
			Ok(())
		},
		_ => Err(ExecError::StepLimitExceeded),
	}
}

/// What a host call moving `len` bytes costs before it runs.
fn host_cost(len: u64) -> u64 {
	abi::HOST_CALL_STEPS + len.div_ceil(abi::BYTES_PER_STEP)
}

/// Runs `step` once per input, within `step_limit` steps.
pub fn run<S: StateAccess>(
	program: &Program,
	state: &mut S,
	inputs: &[&[u8]],
	time: Option<u64>,
	step_limit: u64,
) -> Result<RunResult, ExecError> {
	let state_len = (PAGE_SIZE as u64) << state.depth();
	let mut instance = program.module.instantiate().map_err(|_| ExecError::Vm)?;
	instance
		.set_interpreter_cache_size_limit(Some(SetCacheSizeLimitArgs {
			max_block_size: 1000,
			max_cache_size_bytes: 1024 * 1024,
		}))
		.map_err(|_| ExecError::Vm)?;
	let limit = i64::try_from(step_limit).map_err(|_| ExecError::StepLimitExceeded)?;
	instance.set_gas(limit);

	let mut pages = Pages {
		backend: state,
		loaded: BTreeMap::new(),
		committed: BTreeMap::new(),
		pending: BTreeMap::new(),
		uncharged_loads: 0,
	};
	let invocation_cost = abi::INVOCATION_STEPS + program.memory.div_ceil(abi::MEMORY_BYTES_PER_STEP);
	let mut outputs = Vec::with_capacity(inputs.len());
	for input in inputs {
		charge(&mut instance, invocation_cost)?;
		instance.reset_memory().map_err(|_| ExecError::Vm)?;
		instance.prepare_call_untyped(program.step, &[]);
		let mut output = Vec::new();
		let trapped = loop {
			match instance.run().map_err(|_| ExecError::Vm)? {
				InterruptKind::Finished => break false,
				InterruptKind::Trap | InterruptKind::Segfault(_) => break true,
				InterruptKind::NotEnoughGas => return Err(ExecError::StepLimitExceeded),
				// Step tracing is off; a Step interrupt cannot happen. Continue if it does.
				InterruptKind::Step => continue,
				InterruptKind::Ecalli(n) => {
					// An ecalli with no import behind it traps, as in polkavm's own linker.
					// (Registration refuses such programs; this keeps the engine total.)
					let Some(&call) = program.imports.get(n as usize) else { break true };
					let (a0, a1, a2) = (instance.reg(Reg::A0), instance.reg(Reg::A1), instance.reg(Reg::A2));
					let moved = match call {
						HostCall::InputRead | HostCall::StateRead | HostCall::StateWrite => a2,
						HostCall::Output => a1,
						_ => 0,
					};
					charge(&mut instance, host_cost(moved.min(u64::from(abi::MAX_ACCESS_LEN) + 1)))?;
					let step = match call {
						HostCall::InputLen => Step::Return(input.len() as u64),
						HostCall::InputRead => {
							let (Ok(dst), Ok(len)) = (u32::try_from(a0), u32::try_from(a2)) else { break true };
							if len > abi::MAX_ACCESS_LEN {
								break true;
							}
							// Clamp in u64 before converting: usize is 32 bits in the runtime.
							let len_in = input.len() as u64;
							let start = a1.min(len_in) as usize;
							let end = a1.saturating_add(u64::from(len)).min(len_in) as usize;
							match instance.write_memory(dst, &input[start..end]) {
								Ok(()) => Step::Return((end - start) as u64),
								Err(_) => Step::Abort,
							}
						},
						HostCall::StateLen => Step::Return(state_len),
						HostCall::StateRead => {
							let (Ok(dst), Ok(len)) = (u32::try_from(a1), u32::try_from(a2)) else { break true };
							if len > abi::MAX_ACCESS_LEN {
								break true;
							}
							if a0.saturating_add(u64::from(len)) > state_len {
								Step::Return(abi::ERR_OUT_OF_BOUNDS)
							} else {
								let mut buf = alloc::vec![0u8; len as usize];
								pages.read(a0 as u32, &mut buf)?;
								charge(&mut instance, abi::PAGE_STEPS * core::mem::take(&mut pages.uncharged_loads))?;
								match instance.write_memory(dst, &buf) {
									Ok(()) => Step::Return(abi::OK),
									Err(_) => Step::Abort,
								}
							}
						},
						HostCall::StateWrite => {
							let (Ok(src), Ok(len)) = (u32::try_from(a1), u32::try_from(a2)) else { break true };
							if len > abi::MAX_ACCESS_LEN {
								break true;
							}
							if a0.saturating_add(u64::from(len)) > state_len {
								Step::Return(abi::ERR_OUT_OF_BOUNDS)
							} else {
								match instance.read_memory(src, len) {
									Ok(data) => {
										pages.write(a0 as u32, &data)?;
										charge(
											&mut instance,
											abi::PAGE_STEPS * core::mem::take(&mut pages.uncharged_loads),
										)?;
										Step::Return(abi::OK)
									},
									Err(_) => Step::Abort,
								}
							}
						},
						HostCall::Output => {
							let (Ok(src), Ok(len)) = (u32::try_from(a0), u32::try_from(a1)) else { break true };
							if len > abi::MAX_ACCESS_LEN {
								break true;
							}
							if output.len().saturating_add(len as usize) > abi::MAX_OUTPUT_LEN {
								Step::Return(abi::ERR_OUTPUT_FULL)
							} else {
								match instance.read_memory(src, len) {
									Ok(data) => {
										output.extend_from_slice(&data);
										Step::Return(abi::OK)
									},
									Err(_) => Step::Abort,
								}
							}
						},
						HostCall::ConsensusTime => Step::Return(time.ok_or(ExecError::TimeNotDeclared)?),
					};
					match step {
						Step::Return(v) => instance.set_reg(Reg::A0, v),
						Step::Abort => break true,
					}
				},
			}
		};
		if trapped {
			pages.pending.clear();
			outputs.push(Output { trapped: true, data: Vec::new() });
		} else {
			let pending = core::mem::take(&mut pages.pending);
			pages.committed.extend(pending);
			outputs.push(Output { trapped: false, data: output });
		}
	}
	let remaining = instance.gas();
	let steps = u64::try_from(limit - remaining).map_err(|_| ExecError::Vm)?;
	let mut touched: BTreeSet<u32> = pages.loaded.keys().copied().collect();
	touched.extend(pages.committed.keys().copied());
	// Only pages whose content really changed count as written.
	let written = pages.committed.into_iter().filter(|(index, page)| pages.loaded.get(index) != Some(page)).collect();
	Ok(RunResult { steps, outputs, written, touched })
}
