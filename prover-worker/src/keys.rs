//! Agent keys: sr25519 secrets kept in files.
//!
//! A key file holds one secret URI on its first line, as `subkey` prints them: a BIP-39
//! phrase (what `prover-worker keygen` writes), a `0x` hex seed, or a development URI such as
//! `//Alice`, each optionally with derivation junctions. The file should be readable by the
//! operator only; `keygen` creates it with mode 0600 and never overwrites an existing file.

use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::{io::Write, path::Path};

/// Why a key cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// The file cannot be read or written.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: String,
		/// Why.
		source: std::io::Error,
	},
	/// The content is not a secret URI.
	#[error("{path}: not an sr25519 secret (a BIP-39 phrase, a 0x seed or a //dev URI): {reason}")]
	Invalid {
		/// The file.
		path: String,
		/// What the parser said.
		reason: String,
	},
}

/// Parses a secret URI.
pub fn from_suri(suri: &str) -> Result<sr25519::Pair, String> {
	sr25519::Pair::from_string(suri.trim(), None).map_err(|e| format!("{e:?}"))
}

/// Reads the key in `path`.
pub fn read_key(path: &Path) -> Result<sr25519::Pair, KeyError> {
	let shown = path.display().to_string();
	let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io { path: shown.clone(), source })?;
	let line = text.lines().next().unwrap_or_default();
	from_suri(line).map_err(|reason| KeyError::Invalid { path: shown, reason })
}

/// Generates a key, writes its phrase to a new file at `path` (mode 0600) and returns it.
pub fn generate_key_file(path: &Path) -> Result<sr25519::Pair, KeyError> {
	let shown = path.display().to_string();
	let io = |source| KeyError::Io { path: shown.clone(), source };
	let (pair, phrase, _) = sr25519::Pair::generate_with_phrase(None);
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let mut file = options.open(path).map_err(io)?;
	file.write_all(format!("{phrase}\n").as_bytes()).map_err(io)?;
	file.sync_all().map_err(io)?;
	Ok(pair)
}

/// The public key in hex and as an SS58 address (generic prefix 42), for display.
pub fn describe(pair: &sr25519::Pair) -> (String, String) {
	let public = pair.public();
	(format!("0x{}", hex_of(&public.0)), public.to_ss58check())
}

fn hex_of(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn generated_keys_read_back_and_are_never_overwritten() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("agent.key");
		let pair = generate_key_file(&path).unwrap();
		assert_eq!(read_key(&path).unwrap().public(), pair.public());
		assert!(matches!(generate_key_file(&path), Err(KeyError::Io { .. })));
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		}
	}

	#[test]
	fn dev_uris_work_and_garbage_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("alice.key");
		std::fs::write(&path, "//Alice\n").unwrap();
		assert_eq!(read_key(&path).unwrap().public(), sp_core::sr25519::Pair::from_string("//Alice", None).unwrap().public());
		std::fs::write(&path, "not a key at all\n").unwrap();
		assert!(matches!(read_key(&path), Err(KeyError::Invalid { .. })));
		assert!(matches!(read_key(&dir.path().join("missing")), Err(KeyError::Io { .. })));
	}
}
