//! Where an agent's inputs come from.
//!
//! Two sources exist, chosen per agent in the config:
//!
//! - `file`: a text file the operator (or another program) appends to, one input per line in
//!   hex (`0x` optional; an empty line is an empty input; lines starting with `#` are
//!   comments). Only complete lines (ending in a newline) are read, so a writer can append at
//!   any time. The worker remembers how far it has read (a byte offset) in its database, in the
//!   same transaction that stores the inputs, so after a crash it neither loses nor re-reads a
//!   line. The file must only ever be appended to.
//! - `repeat`: the same input every `interval_ms`, optionally at most `count` times in all: a
//!   load generator for demos and benchmarks.
//!
//! A source is polled with the position stored for it and returns the inputs after it with the
//! new position; it keeps no state that matters across restarts.

use agentic_primitives::MAX_INPUT_LEN;
use serde::Deserialize;
use std::{
	io::{Read, Seek, SeekFrom},
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

/// The config file's description of a source.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum InputSourceConfig {
	/// Lines of hex appended to a file.
	File {
		/// The file (it may not exist yet).
		path: PathBuf,
		/// For a data directory that does not know the agent yet: the first line (counting
		/// from 0) to read. Required when the agent already has transitions on chain, so that
		/// inputs it has applied are not read again.
		#[serde(default)]
		start_line: Option<u64>,
	},
	/// One input, repeated.
	Repeat {
		/// The input, in hex.
		hex: String,
		/// Milliseconds between two inputs.
		interval_ms: u64,
		/// Stop after this many inputs in all (never, if absent).
		#[serde(default)]
		count: Option<u64>,
	},
}

impl InputSourceConfig {
	/// Makes a relative file path relative to `base`.
	pub fn resolve(&mut self, base: &Path) {
		if let InputSourceConfig::File { path, .. } = self {
			if path.is_relative() {
				*path = base.join(&*path);
			}
		}
	}

	/// Checks the parameters.
	pub fn check(&self) -> Result<(), String> {
		match self {
			InputSourceConfig::File { .. } => Ok(()),
			InputSourceConfig::Repeat { hex, interval_ms, .. } => {
				let input = parse_hex(hex).map_err(|e| format!("hex: {e}"))?;
				if input.len() > MAX_INPUT_LEN as usize {
					return Err(format!("the input is {} bytes; at most {MAX_INPUT_LEN}", input.len()));
				}
				if *interval_ms == 0 {
					return Err("interval_ms must be positive".into());
				}
				Ok(())
			},
		}
	}

	/// Where reading starts for an agent new to the data directory; `has_history` says whether
	/// the agent already has transitions on chain.
	pub fn start_cursor(&self, has_history: bool) -> Result<u64, String> {
		match self {
			InputSourceConfig::Repeat { .. } => Ok(0),
			InputSourceConfig::File { start_line: None, .. } if has_history => Err(
				"the agent has transitions on chain but this data directory has no record of it, so where its input \
				 file resumes is unknown: set `start_line` in its `input` (the first line not yet applied)"
					.into(),
			),
			InputSourceConfig::File { start_line: None, .. } => Ok(0),
			InputSourceConfig::File { path, start_line: Some(line) } => {
				let bytes = std::fs::read(path).unwrap_or_default();
				let mut offset = 0usize;
				for n in 0..*line {
					match bytes[offset..].iter().position(|&b| b == b'\n') {
						Some(end) => offset += end + 1,
						None => return Err(format!("{} has only {n} complete lines; start_line is {line}", path.display())),
					}
				}
				Ok(offset as u64)
			},
		}
	}

	/// The source this describes.
	pub fn open(&self) -> Result<InputSource, String> {
		self.check()?;
		Ok(match self {
			InputSourceConfig::File { path, .. } => InputSource::File { path: path.clone() },
			InputSourceConfig::Repeat { hex, interval_ms, count } => InputSource::Repeat {
				input: parse_hex(hex)?,
				interval: Duration::from_millis(*interval_ms),
				count: *count,
				last: Instant::now(),
			},
		})
	}
}

/// An input source being read.
#[derive(Debug)]
pub enum InputSource {
	/// See [`InputSourceConfig::File`].
	File {
		/// The file.
		path: PathBuf,
	},
	/// See [`InputSourceConfig::Repeat`].
	Repeat {
		/// The input.
		input: Vec<u8>,
		/// Between two inputs.
		interval: Duration,
		/// Most inputs in all.
		count: Option<u64>,
		/// When the last input was produced.
		last: Instant,
	},
}

/// What one poll produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Polled {
	/// New inputs, in order.
	pub inputs: Vec<Vec<u8>>,
	/// Lines skipped as malformed: (line's byte offset, why).
	pub skipped: Vec<(u64, String)>,
	/// The position after them.
	pub cursor: u64,
}

impl InputSource {
	/// Up to `max` inputs after position `cursor`.
	pub fn poll(&mut self, cursor: u64, max: usize) -> std::io::Result<Polled> {
		match self {
			InputSource::File { path } => read_lines(path, cursor, max),
			InputSource::Repeat { input, interval, count, last } => {
				let due = (last.elapsed().as_millis() / interval.as_millis().max(1)) as u64;
				let left = count.map_or(u64::MAX, |c| c.saturating_sub(cursor));
				let n = due.min(left).min(max as u64);
				if n > 0 {
					*last += *interval * n as u32;
					if due > n {
						// Behind by more than a poll can take: do not build up a backlog.
						*last = Instant::now();
					}
				}
				Ok(Polled { inputs: vec![input.clone(); n as usize], skipped: Vec::new(), cursor: cursor + n })
			},
		}
	}
}

fn read_lines(path: &Path, cursor: u64, max: usize) -> std::io::Result<Polled> {
	let mut file = match std::fs::File::open(path) {
		Ok(f) => f,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Polled { cursor, ..Default::default() }),
		Err(e) => return Err(e),
	};
	let len = file.metadata()?.len();
	if len < cursor {
		return Err(std::io::Error::other(format!(
			"{} is shorter than what was already read from it ({len} < {cursor} bytes): input files must only be appended to",
			path.display()
		)));
	}
	file.seek(SeekFrom::Start(cursor))?;
	// At most `max` full-size lines are needed.
	let mut buf = Vec::new();
	file.take((max as u64) * (2 * MAX_INPUT_LEN as u64 + 4) + 1).read_to_end(&mut buf)?;
	let mut polled = Polled { cursor, ..Default::default() };
	let mut start = 0usize;
	while polled.inputs.len() < max {
		let Some(end) = buf[start..].iter().position(|&b| b == b'\n') else { break };
		let line = String::from_utf8_lossy(&buf[start..start + end]);
		let offset = cursor + start as u64;
		start += end + 1;
		polled.cursor = cursor + start as u64;
		let line = line.trim();
		if line.starts_with('#') {
			continue;
		}
		match parse_hex(line) {
			Ok(input) if input.len() <= MAX_INPUT_LEN as usize => polled.inputs.push(input),
			Ok(input) => polled.skipped.push((offset, format!("{} bytes; inputs hold at most {MAX_INPUT_LEN}", input.len()))),
			Err(e) => polled.skipped.push((offset, e)),
		}
	}
	Ok(polled)
}

/// Decodes hex with an optional `0x` prefix.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
	let digits = text.trim().trim_start_matches("0x");
	if !digits.is_ascii() {
		return Err(format!("not hex: {text:?}"));
	}
	if digits.len() % 2 != 0 {
		return Err(format!("odd number of hex digits in {text:?}"));
	}
	(0..digits.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|_| format!("not hex: {text:?}")))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::Write;

	#[test]
	fn file_source_reads_complete_lines_and_resumes_at_the_cursor() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("in.txt");
		let mut source = InputSourceConfig::File { path: path.clone(), start_line: None }.open().unwrap();
		assert_eq!(source.poll(0, 10).unwrap(), Polled::default(), "a missing file is an empty one");
		let mut f = std::fs::File::create(&path).unwrap();
		f.write_all(b"01\n# a comment\n0x0203\n\nzz\n04").unwrap();
		let polled = source.poll(0, 10).unwrap();
		assert_eq!(polled.inputs, vec![vec![1], vec![2, 3], vec![]]);
		assert_eq!(polled.skipped.len(), 1, "{:?}", polled.skipped);
		assert_eq!(polled.cursor, 26, "the partial last line is left for later");
		f.write_all(b"05\n").unwrap();
		let next = source.poll(polled.cursor, 10).unwrap();
		assert_eq!(next.inputs, vec![vec![4, 5]]);
		// `max` is respected and the cursor stops after the last input taken.
		let first = source.poll(0, 1).unwrap();
		assert_eq!((first.inputs, first.cursor), (vec![vec![1]], 3));
		// A truncated file is an error, not a silent re-read.
		std::fs::write(&path, b"01\n").unwrap();
		assert!(source.poll(next.cursor, 10).is_err());
	}

	#[test]
	fn non_ascii_lines_are_skipped_not_fatal() {
		assert!(parse_hex("0é0").is_err());
		assert!(parse_hex("\u{fffd}\u{fffd}").is_err());
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("in.txt");
		std::fs::write(&path, b"0\xc3\xa90\n\xff\n02\n").unwrap();
		let polled = InputSource::File { path }.poll(0, 10).unwrap();
		assert_eq!((polled.inputs, polled.skipped.len()), (vec![vec![2]], 2));
	}

	#[test]
	fn start_line_is_required_for_an_agent_with_history() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("in.txt");
		std::fs::write(&path, b"01\n# note\n02\n03").unwrap();
		let config = |start_line| InputSourceConfig::File { path: path.clone(), start_line };
		assert_eq!(config(None).start_cursor(false), Ok(0));
		assert!(config(None).start_cursor(true).unwrap_err().contains("start_line"));
		assert_eq!(config(Some(0)).start_cursor(true), Ok(0));
		assert_eq!(config(Some(2)).start_cursor(true), Ok(10));
		assert_eq!(config(Some(3)).start_cursor(true), Ok(13), "reading resumes at the incomplete last line");
		assert!(config(Some(4)).start_cursor(true).is_err(), "there are only three complete lines");
		let repeat = InputSourceConfig::Repeat { hex: "00".into(), interval_ms: 1, count: None };
		assert_eq!(repeat.start_cursor(true), Ok(0));
	}

	#[test]
	fn oversized_inputs_are_skipped() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("in.txt");
		std::fs::write(&path, format!("{}\n01\n", "00".repeat(MAX_INPUT_LEN as usize + 1))).unwrap();
		let polled = InputSource::File { path }.poll(0, 10).unwrap();
		assert_eq!(polled.inputs, vec![vec![1]]);
		assert_eq!(polled.skipped.len(), 1);
	}

	#[test]
	fn repeat_source_counts_and_stops() {
		let config = InputSourceConfig::Repeat { hex: "07".into(), interval_ms: 1, count: Some(3) };
		let mut source = config.open().unwrap();
		std::thread::sleep(Duration::from_millis(10));
		let polled = source.poll(0, 2).unwrap();
		assert_eq!((polled.inputs.len(), polled.cursor), (2, 2));
		std::thread::sleep(Duration::from_millis(10));
		let polled = source.poll(2, 10).unwrap();
		assert_eq!((polled.inputs, polled.cursor), (vec![vec![7]], 3));
		std::thread::sleep(Duration::from_millis(10));
		assert_eq!(source.poll(3, 10).unwrap().inputs.len(), 0);
		assert!(InputSourceConfig::Repeat { hex: "0g".into(), interval_ms: 1, count: None }.check().is_err());
		assert!(InputSourceConfig::Repeat { hex: "00".into(), interval_ms: 0, count: None }.check().is_err());
	}
}
