//! The worker's durable store: one `redb` database in the data directory.
//!
//! Per agent it holds the state the chain has *finalized* (its pages and root), the inputs
//! read from the agent's source and not yet part of a finalized transition, the source's read
//! position, and at most one pending transition (built, signed, maybe sent, not yet known
//! finalized). Every change is one ACID transaction committed with immediate durability, and
//! every change that moves work forward is written *before* the action it prepares:
//!
//! - inputs and the new read position are stored together, so a crash never loses or re-reads
//!   an input;
//! - a transition is stored as pending before it is sent, so after a crash the worker knows
//!   what it may have sent and asks the chain what became of it;
//! - the finalized state advances (pages written, inputs dropped, pending cleared) in one
//!   transaction, only once the chain's finalized root is the pending transition's new root,
//!   so a transition is never applied twice, locally or on chain (where `seq` and `old_root`
//!   make a signed submission single-use).
//!
//! Everything else the worker holds (the speculative state after the queued inputs, statistics)
//! is recomputed from this on start.

use agentic_primitives::{
	state::{Page, StateTree, PAGE_SIZE},
	AgentId, StateRoot, Version,
};
use codec::{Decode, Encode};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use sp_core::H256;
use std::path::Path;

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const AGENTS: TableDefinition<u32, &[u8]> = TableDefinition::new("agents");
const PAGES: TableDefinition<(u32, u32), &[u8]> = TableDefinition::new("pages");
const INPUTS: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("inputs");
/// Each agent's pending transition (a proof's extrinsic is megabytes), apart from its record so
/// that the record's frequent updates (inputs read, blocks synced) do not rewrite it. A record
/// stored before this table existed holds its pending transition inline; it moves here at the
/// record's next update.
const PENDING: TableDefinition<u32, &[u8]> = TableDefinition::new("pending");

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The database failed (I/O, corruption, or another process holds it).
	#[error("database: {0}")]
	Db(#[from] redb::Error),
	/// A record does not decode: written by an incompatible version.
	#[error("a stored record does not decode: {0}")]
	Codec(#[from] codec::Error),
	/// The data directory belongs to another chain.
	#[error(
		"this data directory belongs to the chain with genesis {stored:?}, not {actual:?}; use another data_dir"
	)]
	WrongChain {
		/// The chain the store was created for.
		stored: H256,
		/// The chain connected to.
		actual: H256,
	},
	/// The data directory cannot be created.
	#[error("data directory: {0}")]
	Io(#[from] std::io::Error),
	/// An operation was asked of an agent the store does not know.
	#[error("agent {0} is not in the store")]
	UnknownAgent(AgentId),
}

macro_rules! from_redb {
	($($t:ty),*) => {$(
		impl From<$t> for StoreError {
			fn from(e: $t) -> Self {
				StoreError::Db(e.into())
			}
		}
	)*};
}
from_redb!(redb::DatabaseError, redb::TransactionError, redb::TableError, redb::StorageError, redb::CommitError);

/// A transition built, signed and stored before it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Pending {
	/// The submission's nonce.
	pub seq: u64,
	/// The inputs from the record's `first_input` up to this id (exclusive) are in it.
	pub inputs_end: u64,
	/// The state root after it.
	pub new_root: StateRoot,
	/// The pages it changes, with their new content.
	pub written: Vec<(u32, Page)>,
	/// The encoded transaction, exactly as sent (resent byte for byte after a restart).
	pub extrinsic: Vec<u8>,
	/// Best block number when it was built: the outcome is searched from there.
	pub built_at_block: u32,
	/// Steps it declares.
	pub steps: u64,
}

/// What the store holds about one agent.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AgentRecord {
	/// The program the state belongs to.
	pub program_hash: H256,
	/// State depth.
	pub depth: u8,
	/// Root of the stored (finalized) state.
	pub root: StateRoot,
	/// The agent's version at that root.
	pub version: Version,
	/// A finalized block at which the chain held `root`: the chain's history after it is what
	/// a resync replays.
	pub synced_block: u32,
	/// Id of the oldest stored input (inputs below it are in finalized transitions).
	pub first_input: u64,
	/// Id the next stored input gets.
	pub next_input: u64,
	/// Read position in the agent's input source.
	pub cursor: u64,
	/// The transition in flight, if any.
	pub pending: Option<Pending>,
}

/// The worker's database.
pub struct Store {
	db: Database,
}

impl Store {
	/// Opens (or creates) the store in `dir` for the chain with `genesis`. Fails if another
	/// process has it open or it belongs to another chain.
	pub fn open(dir: &Path, genesis: H256) -> Result<Self, StoreError> {
		std::fs::create_dir_all(dir)?;
		let db = Database::create(dir.join("worker.redb"))?;
		let store = Store { db };
		let tx = store.db.begin_write()?;
		{
			let mut meta = tx.open_table(META)?;
			let stored = meta.get("genesis")?.map(|v| H256::from_slice(v.value()));
			match stored {
				Some(stored) if stored != genesis => return Err(StoreError::WrongChain { stored, actual: genesis }),
				Some(_) => {},
				None => {
					meta.insert("genesis", genesis.as_bytes())?;
				},
			}
			tx.open_table(AGENTS)?;
			tx.open_table(PAGES)?;
			tx.open_table(INPUTS)?;
			tx.open_table(PENDING)?;
		}
		tx.commit()?;
		Ok(store)
	}

	/// Opens an existing store read-only-in-spirit for inspection (`status`, `export-state`),
	/// without knowing the chain.
	pub fn open_existing(dir: &Path) -> Result<Self, StoreError> {
		let path = dir.join("worker.redb");
		if !path.exists() {
			return Err(StoreError::Io(std::io::Error::new(
				std::io::ErrorKind::NotFound,
				format!("no worker database in {}", dir.display()),
			)));
		}
		Ok(Store { db: Database::open(path)? })
	}

	/// The chain this store belongs to.
	pub fn genesis(&self) -> Result<Option<H256>, StoreError> {
		let tx = self.db.begin_read()?;
		let meta = tx.open_table(META)?;
		Ok(meta.get("genesis")?.map(|v| H256::from_slice(v.value())))
	}

	/// The record of `agent`, if stored.
	pub fn agent(&self, agent: AgentId) -> Result<Option<AgentRecord>, StoreError> {
		let tx = self.db.begin_read()?;
		let Some(mut record) =
			tx.open_table(AGENTS)?.get(agent)?.map(|v| AgentRecord::decode(&mut v.value())).transpose()?
		else {
			return Ok(None);
		};
		// A store opened for inspection may predate the table (then the record holds it).
		match tx.open_table(PENDING) {
			Ok(table) => {
				if let Some(pending) = table.get(agent)? {
					record.pending = Some(Pending::decode(&mut pending.value())?);
				}
			},
			Err(redb::TableError::TableDoesNotExist(_)) => {},
			Err(e) => return Err(e.into()),
		}
		Ok(Some(record))
	}

	/// Every stored agent id.
	pub fn agent_ids(&self) -> Result<Vec<AgentId>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(AGENTS)?;
		let mut ids = Vec::new();
		for entry in table.range::<u32>(..)? {
			ids.push(entry?.0.value());
		}
		Ok(ids)
	}

	/// The stored (finalized) state of `agent`.
	pub fn state(&self, agent: AgentId) -> Result<StateTree, StoreError> {
		let record = self.agent(agent)?.ok_or(StoreError::UnknownAgent(agent))?;
		let tx = self.db.begin_read()?;
		let table = tx.open_table(PAGES)?;
		let mut pages = vec![[0u8; PAGE_SIZE]; 1usize << record.depth];
		for entry in table.range((agent, 0u32)..=(agent, u32::MAX))? {
			let (key, value) = entry?;
			let index = key.value().1 as usize;
			if let (Some(page), Ok(data)) = (pages.get_mut(index), <Page>::try_from(value.value())) {
				*page = data;
			}
		}
		StateTree::from_pages(record.depth, pages)
			.map_err(|_| StoreError::Codec(codec::Error::from("the stored depth is not a valid state depth")))
	}

	/// Starts tracking `agent` at `record` with `pages` as its state (pages absent are zero),
	/// replacing whatever was stored for it.
	pub fn reset_agent(&self, agent: AgentId, record: &AgentRecord, pages: &[(u32, Page)]) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		{
			let mut table = tx.open_table(PAGES)?;
			table.retain_in((agent, 0u32)..=(agent, u32::MAX), |_, _| false)?;
			for (index, page) in pages {
				if page.iter().any(|b| *b != 0) {
					table.insert((agent, *index), page.as_slice())?;
				}
			}
			write_record(&tx, agent, record, None)?;
		}
		tx.commit()?;
		Ok(())
	}

	/// Stores new inputs of `agent` and the source position after them, together.
	pub fn ingest(&self, agent: AgentId, inputs: &[Vec<u8>], cursor: u64) -> Result<AgentRecord, StoreError> {
		self.update(agent, |tx, record| {
			let mut table = tx.open_table(INPUTS)?;
			for input in inputs {
				table.insert((agent, record.next_input), input.as_slice())?;
				record.next_input += 1;
			}
			record.cursor = cursor;
			Ok(())
		})
	}

	/// The stored inputs of `agent` with ids in `from..to`, with their ids.
	pub fn inputs(&self, agent: AgentId, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(INPUTS)?;
		let mut out = Vec::new();
		for entry in table.range((agent, from)..(agent, to))? {
			let (key, value) = entry?;
			out.push((key.value().1, value.value().to_vec()));
		}
		Ok(out)
	}

	/// Drops one stored input that can never be executed (it fails the program as a whole).
	pub fn drop_input(&self, agent: AgentId, id: u64) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		tx.open_table(INPUTS)?.remove((agent, id))?;
		tx.commit()?;
		Ok(())
	}

	/// Records `pending` as the agent's transition in flight (before it is sent).
	pub fn set_pending(&self, agent: AgentId, pending: Pending) -> Result<AgentRecord, StoreError> {
		self.update(agent, |_, record| {
			record.pending = Some(pending);
			Ok(())
		})
	}

	/// Forgets the pending transition (it was not accepted); its inputs stay queued.
	pub fn clear_pending(&self, agent: AgentId) -> Result<AgentRecord, StoreError> {
		self.update(agent, |_, record| {
			record.pending = None;
			Ok(())
		})
	}

	/// The chain finalized the pending transition at `version` in block `block`: its pages
	/// become the stored state, its inputs are dropped, and it is no longer pending.
	pub fn finalize_pending(&self, agent: AgentId, version: Version, block: u32) -> Result<AgentRecord, StoreError> {
		self.update(agent, |tx, record| {
			let pending = record.pending.take().ok_or(StoreError::UnknownAgent(agent))?;
			let mut pages = tx.open_table(PAGES)?;
			for (index, page) in &pending.written {
				pages.insert((agent, *index), page.as_slice())?;
			}
			tx.open_table(INPUTS)?.retain_in((agent, record.first_input)..(agent, pending.inputs_end), |_, _| false)?;
			record.first_input = pending.inputs_end;
			record.root = pending.new_root;
			record.version = version;
			record.synced_block = block;
			Ok(())
		})
	}

	/// A transition not made by this worker was finalized (found while resyncing): apply its
	/// pages, drop any pending transition (built on the root it moved away from) and, if it
	/// carried this worker's queued inputs up to id `consumed` (exclusive), drop those too.
	pub fn apply_foreign(
		&self,
		agent: AgentId,
		written: &[(u32, Page)],
		root: StateRoot,
		version: Version,
		block: u32,
		consumed: Option<u64>,
	) -> Result<AgentRecord, StoreError> {
		self.update(agent, |tx, record| {
			let mut pages = tx.open_table(PAGES)?;
			for (index, page) in written {
				pages.insert((agent, *index), page.as_slice())?;
			}
			if let Some(end) = consumed {
				tx.open_table(INPUTS)?.retain_in((agent, record.first_input)..(agent, end), |_, _| false)?;
				record.first_input = end;
			}
			record.pending = None;
			record.root = root;
			record.version = version;
			record.synced_block = block;
			Ok(())
		})
	}

	/// Notes that the chain still held the stored root at finalized `block`.
	pub fn mark_synced(&self, agent: AgentId, block: u32) -> Result<AgentRecord, StoreError> {
		self.update(agent, |_, record| {
			record.synced_block = record.synced_block.max(block);
			Ok(())
		})
	}

	fn update(
		&self,
		agent: AgentId,
		change: impl FnOnce(&redb::WriteTransaction, &mut AgentRecord) -> Result<(), StoreError>,
	) -> Result<AgentRecord, StoreError> {
		let tx = self.db.begin_write()?;
		let record = {
			let stored = tx.open_table(AGENTS)?.get(agent)?.map(|v| AgentRecord::decode(&mut v.value())).transpose()?;
			let mut record = stored.ok_or(StoreError::UnknownAgent(agent))?;
			// Inline in a record stored before the pending table; else in the table.
			let inline = record.pending.is_some();
			if let Some(pending) = tx.open_table(PENDING)?.get(agent)? {
				record.pending = Some(Pending::decode(&mut pending.value())?);
			}
			let before = (!inline).then(|| record.pending.clone());
			change(&tx, &mut record)?;
			write_record(&tx, agent, &record, before.as_ref())?;
			record
		};
		tx.commit()?;
		Ok(record)
	}
}

/// Writes `record`, its pending transition in its own table unless it is `unchanged` from what
/// that table holds (`None`: write it either way).
fn write_record(
	tx: &redb::WriteTransaction,
	agent: AgentId,
	record: &AgentRecord,
	unchanged: Option<&Option<Pending>>,
) -> Result<(), StoreError> {
	if unchanged != Some(&record.pending) {
		let mut table = tx.open_table(PENDING)?;
		match &record.pending {
			Some(pending) => table.insert(agent, pending.encode().as_slice())?,
			None => table.remove(agent)?,
		};
	}
	let without = AgentRecord { pending: None, ..record.clone() };
	tx.open_table(AGENTS)?.insert(agent, without.encode().as_slice())?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(depth: u8) -> AgentRecord {
		AgentRecord {
			program_hash: H256::repeat_byte(1),
			depth,
			root: agentic_primitives::state::empty_root(depth),
			version: 0,
			synced_block: 0,
			first_input: 0,
			next_input: 0,
			cursor: 0,
			pending: None,
		}
	}

	#[test]
	fn a_store_belongs_to_one_chain_and_one_process() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path(), H256::repeat_byte(7)).unwrap();
		assert!(Store::open(dir.path(), H256::repeat_byte(7)).is_err(), "a second opener is refused");
		drop(store);
		Store::open(dir.path(), H256::repeat_byte(7)).unwrap();
		let wrong = Store::open(dir.path(), H256::repeat_byte(8));
		assert!(matches!(wrong, Err(StoreError::WrongChain { .. })));
	}

	#[test]
	fn inputs_pending_and_finalization_move_together() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path(), H256::zero()).unwrap();
		store.reset_agent(3, &record(1), &[]).unwrap();
		let r = store.ingest(3, &[vec![1], vec![2], vec![3]], 9).unwrap();
		assert_eq!((r.next_input, r.cursor), (3, 9));
		assert_eq!(store.inputs(3, 0, 10).unwrap().len(), 3);

		let mut page = [0u8; PAGE_SIZE];
		page[0] = 42;
		let mut expected = StateTree::new(1).unwrap();
		expected.set_page(1, page).unwrap();
		let pending = Pending {
			seq: 0,
			inputs_end: 2,
			new_root: expected.root(),
			written: vec![(1, page)],
			extrinsic: vec![9, 9],
			built_at_block: 5,
			steps: 100,
		};
		store.set_pending(3, pending.clone()).unwrap();
		drop(store);

		// Reopened, as after a crash: the pending transition is still there.
		let store = Store::open(dir.path(), H256::zero()).unwrap();
		assert_eq!(store.agent(3).unwrap().unwrap().pending, Some(pending));
		assert_eq!(store.state(3).unwrap().root(), agentic_primitives::state::empty_root(1));
		let r = store.finalize_pending(3, 1, 12).unwrap();
		assert_eq!((r.first_input, r.version, r.synced_block, r.root), (2, 1, 12, expected.root()));
		assert!(r.pending.is_none());
		assert_eq!(store.state(3).unwrap(), expected);
		assert_eq!(store.inputs(3, 0, 10).unwrap(), vec![(2, vec![3])]);
		assert!(store.finalize_pending(3, 2, 13).is_err(), "nothing is finalized twice");
		assert_eq!(store.agent(3).unwrap().unwrap().version, 1);
		assert_eq!(store.agent_ids().unwrap(), vec![3]);
	}

	fn pending(extrinsic: Vec<u8>) -> Pending {
		Pending {
			seq: 4,
			inputs_end: 1,
			new_root: H256::repeat_byte(2),
			written: Vec::new(),
			extrinsic,
			built_at_block: 3,
			steps: 10,
		}
	}

	/// The bytes of agent `agent`'s record as stored.
	fn stored_record(store: &Store, agent: AgentId) -> AgentRecord {
		let tx = store.db.begin_read().unwrap();
		let table = tx.open_table(AGENTS).unwrap();
		let value = table.get(agent).unwrap().expect("stored");
		AgentRecord::decode(&mut value.value()).unwrap()
	}

	#[test]
	fn the_pending_transition_is_stored_apart_and_old_records_move_it_there() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path(), H256::zero()).unwrap();
		store.reset_agent(1, &record(1), &[]).unwrap();
		let big = pending(vec![7; 1 << 20]);
		store.set_pending(1, big.clone()).unwrap();
		// The record itself stays small, and updates that do not touch the pending transition
		// leave it as it was.
		assert_eq!(stored_record(&store, 1).pending, None);
		let r = store.ingest(1, &[vec![1]], 5).unwrap();
		assert_eq!(r.pending.as_ref(), Some(&big));
		let r = store.mark_synced(1, 9).unwrap();
		assert_eq!((r.synced_block, r.pending.as_ref()), (9, Some(&big)));
		assert_eq!(store.agent(1).unwrap().unwrap().pending, Some(big.clone()));
		let r = store.clear_pending(1).unwrap();
		assert_eq!(r.pending, None);
		assert_eq!(store.agent(1).unwrap().unwrap().pending, None);

		// A record written by an older worker, with its pending transition inline.
		let old = AgentRecord { pending: Some(pending(vec![5; 64])), ..record(1) };
		{
			let tx = store.db.begin_write().unwrap();
			tx.open_table(AGENTS).unwrap().insert(2, old.encode().as_slice()).unwrap();
			tx.commit().unwrap();
		}
		assert_eq!(store.agent(2).unwrap().unwrap(), old);
		let r = store.mark_synced(2, 4).unwrap();
		assert_eq!(r.pending, old.pending);
		assert_eq!(stored_record(&store, 2).pending, None, "moved out of the record");
		drop(store);
		let store = Store::open(dir.path(), H256::zero()).unwrap();
		assert_eq!(store.agent(2).unwrap().unwrap().pending, old.pending);
		assert_eq!(store.clear_pending(2).unwrap().pending, None);
		assert_eq!(store.agent(2).unwrap().unwrap().pending, None);
	}
}
