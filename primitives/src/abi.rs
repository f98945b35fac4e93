//! Agent ABI v1: what an agent's PolkaVM program exports and which host calls it may make.
//!
//! See `docs/agent-abi.md` for the full description and a worked example. In short:
//!
//! - The program exports [`EXPORT_STEP`]. The host calls it once per input, in order, with no
//!   arguments; its return value is ignored.
//! - The program may import only the host calls named below (by symbol). Arguments are passed in
//!   registers `a0..a2`, the result is returned in `a0`.
//! - Everything the program can observe comes from the submission: its input, its state pages
//!   (served from the witness), and the declared consensus time. So re-execution is
//!   deterministic.
//! - One invocation is atomic: if it traps (or runs a host call with a bad guest pointer, or an
//!   `ecalli` with no import behind it), its state writes and output are discarded and the next
//!   input runs on the state as it was. The steps it consumed still count.
//! - Steps measure work, not only instructions: one per instruction, plus what host calls, page
//!   touches and invocation starts cost ([`HOST_CALL_STEPS`], [`BYTES_PER_STEP`],
//!   [`PAGE_STEPS`], [`INVOCATION_STEPS`], [`MEMORY_BYTES_PER_STEP`]).

/// The exported entry point, called once per input.
pub const EXPORT_STEP: &str = "step";

/// `input_len() -> u32`: length in bytes of the current input.
pub const HOST_INPUT_LEN: &str = "input_len";
/// `input_read(dst, offset, len) -> u32`: copies up to `len` bytes of the current input from
/// `offset` to guest address `dst`; returns the number of bytes copied (0 past the end).
pub const HOST_INPUT_READ: &str = "input_read";
/// `state_len() -> u32`: size of the agent's state in bytes (`PAGE_SIZE << depth`).
pub const HOST_STATE_LEN: &str = "state_len";
/// `state_read(offset, dst, len) -> u32`: copies `len` state bytes from `offset` to guest
/// address `dst`. Returns [`OK`], or [`ERR_OUT_OF_BOUNDS`] if the range leaves the state.
pub const HOST_STATE_READ: &str = "state_read";
/// `state_write(offset, src, len) -> u32`: copies `len` bytes from guest address `src` into the
/// state at `offset`. Returns [`OK`], or [`ERR_OUT_OF_BOUNDS`] if the range leaves the state.
pub const HOST_STATE_WRITE: &str = "state_write";
/// `output(src, len) -> u32`: appends `len` bytes from guest address `src` to this
/// invocation's output. Returns [`OK`], or [`ERR_OUTPUT_FULL`] past [`MAX_OUTPUT_LEN`].
pub const HOST_OUTPUT: &str = "output";
/// `consensus_time() -> u64`: the consensus time (ms since the Unix epoch) the submission
/// declares, which the chain checks against its time oracle.
pub const HOST_CONSENSUS_TIME: &str = "consensus_time";

/// Every host call of ABI v1. A program importing anything else is refused at registration.
pub const HOST_CALLS: [&str; 7] = [
	HOST_INPUT_LEN,
	HOST_INPUT_READ,
	HOST_STATE_LEN,
	HOST_STATE_READ,
	HOST_STATE_WRITE,
	HOST_OUTPUT,
	HOST_CONSENSUS_TIME,
];

/// An ABI v1 host call, resolved from an import's symbol.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HostCall {
	/// [`HOST_INPUT_LEN`]
	InputLen,
	/// [`HOST_INPUT_READ`]
	InputRead,
	/// [`HOST_STATE_LEN`]
	StateLen,
	/// [`HOST_STATE_READ`]
	StateRead,
	/// [`HOST_STATE_WRITE`]
	StateWrite,
	/// [`HOST_OUTPUT`]
	Output,
	/// [`HOST_CONSENSUS_TIME`]
	ConsensusTime,
}

impl HostCall {
	/// Every host call, in the order of [`HOST_CALLS`].
	pub const ALL: [HostCall; 7] = [
		HostCall::InputLen,
		HostCall::InputRead,
		HostCall::StateLen,
		HostCall::StateRead,
		HostCall::StateWrite,
		HostCall::Output,
		HostCall::ConsensusTime,
	];

	/// The call an import symbol names, if any.
	pub fn from_symbol(symbol: &[u8]) -> Option<Self> {
		HOST_CALLS.iter().position(|name| name.as_bytes() == symbol).map(|i| Self::ALL[i])
	}

	/// The call's symbol.
	pub fn name(self) -> &'static str {
		HOST_CALLS[self as usize]
	}
}

/// Host call succeeded.
pub const OK: u64 = 0;
/// A state access left the state's bounds; nothing was read or written.
pub const ERR_OUT_OF_BOUNDS: u64 = 1;
/// The invocation's output is full; nothing was appended.
pub const ERR_OUTPUT_FULL: u64 = 2;

/// Steps charged for every host call, on top of the `ecalli` instruction itself.
pub const HOST_CALL_STEPS: u64 = 20;
/// Bytes an input, state or output host call moves per additional step (rounded up).
pub const BYTES_PER_STEP: u64 = 16;
/// Steps charged the first time a run touches a state page: it has to be decoded, hashed into the
/// signature payload, opened from the witness and re-rooted. Measured in the runtime's Wasm at
/// about 13 us a page against about 11 ns a step (docs/benchmarks.md), so a page costs what
/// 1,200 instructions cost.
pub const PAGE_STEPS: u64 = 1_200;
/// Steps charged when an invocation starts.
pub const INVOCATION_STEPS: u64 = 1_000;
/// Bytes of declared guest memory (ro data, rw data and stack) per additional step charged when
/// an invocation starts, for resetting the memory image.
pub const MEMORY_BYTES_PER_STEP: u64 = 64;

/// Most bytes one invocation may output.
pub const MAX_OUTPUT_LEN: usize = 4096;
/// Most bytes one state or input host call may move at once.
pub const MAX_ACCESS_LEN: u32 = 64 * 1024;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn host_calls_resolve_by_symbol_only() {
		for call in HostCall::ALL {
			assert_eq!(HostCall::from_symbol(call.name().as_bytes()), Some(call));
		}
		for other in [&b"host"[..], b"", b"input_len\0", b"INPUT_LEN"] {
			assert_eq!(HostCall::from_symbol(other), None);
		}
	}
}
