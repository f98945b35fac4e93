//! The state table (`docs/proof-system.md`, "Host calls and state on the chips layout"): one
//! row per byte of every page the run touched, with the byte's old and new values public (the
//! statement's pages) and its last timestamp committed. Each row sends the byte's initial cell
//! `(address, old, 0, 0)` and receives its final cell `(address, new, last_hi, last_lo)` on bus
//! `STATE`; a running OR over each page's rows shows that some byte of every page was
//! accessed, so the statement lists exactly the pages the run touched.

use agentic_air::{Air, AirBuilder, Base, BinaryFieldElement, Direction, Selector};
use alloc::{collections::BTreeMap, vec, vec::Vec};

use crate::bus;

/// A state page's size in bytes.
pub const PAGE: usize = agentic_primitives::state::PAGE_SIZE;

/// Column layout of the state table.
pub mod columns {
	/// The byte's address in the state (public).
	pub const ADDR: usize = 0;
	/// Its value before the run (public).
	pub const OLD: usize = 1;
	/// Its value after the run (public).
	pub const NEW: usize = 2;
	/// The row is a page's first byte; 1 on the padding rows (public).
	pub const START: usize = 3;
	/// The row is a page's last byte (public).
	pub const END: usize = 4;
	/// The number of public columns.
	pub const PUBLIC: usize = 5;
	/// The last access's timestamp, high word (0: never accessed).
	pub const LAST_HI: usize = 5;
	/// Its low word.
	pub const LAST_LO: usize = 6;
	/// `[last_hi ≠ 0]`.
	pub const NZ: usize = 7;
	/// Its inverse witness.
	pub const NZ_INV: usize = 8;
	/// Some byte of the page up to this row was accessed.
	pub const T: usize = 9;
	/// The number of columns.
	pub const WIDTH: usize = 10;
}

/// The state table's AIR.
#[derive(Clone, Copy, Debug, Default)]
pub struct State;

impl Air for State {
	fn width(&self) -> usize {
		columns::WIDTH
	}

	fn eval<AB: AirBuilder>(&self, b: &mut AB) {
		use columns::*;
		let zero = b.constant(Base::zero());
		let active = b.selector(Selector::Active);
		b.interact(bus::STATE, Direction::Send, b.one(), &[b.cur(ADDR), b.cur(OLD), zero.clone(), zero]);
		b.interact(bus::STATE, Direction::Receive, b.one(), &[b.cur(ADDR), b.cur(NEW), b.cur(LAST_HI), b.cur(LAST_LO)]);
		// nz = [last_hi ≠ 0]: every access has a high word of at least 2^29.
		let last_hi = b.cur(LAST_HI);
		b.assert_bool(b.cur(NZ));
		b.assert_eq(last_hi.clone() * b.cur(NZ_INV), b.cur(NZ));
		b.assert_zero(last_hi * (b.one() + b.cur(NZ)));
		b.assert_zero((b.one() + b.cur(NZ)) * b.cur(NZ_INV));
		// t: a running OR of nz over each page's rows; every page ends touched.
		let t = b.cur(T);
		b.assert_bool(t.clone());
		b.assert_zero(b.cur(START) * (t.clone() + b.cur(NZ)));
		let nz_next = b.next(NZ);
		let or = t.clone() + nz_next.clone() + t.clone() * nz_next;
		b.assert_transition((b.one() + b.next(START)) * (b.next(T) + or));
		b.assert_zero(b.cur(END) * (b.one() + t));
		for column in PUBLIC..WIDTH {
			b.assert_zero((b.one() + active.clone()) * b.cur(column));
		}
	}
}

/// The state bytes as the prover tracks them: the touched pages' old contents, every accessed
/// byte's current value and last timestamp.
#[derive(Clone, Debug, Default)]
pub struct StateTracker {
	/// The old contents of every page touched so far.
	old: BTreeMap<u32, [u8; PAGE]>,
	/// Accessed bytes: value and last timestamp.
	cells: BTreeMap<u32, (u8, u64)>,
}

impl StateTracker {
	/// Reads the byte at `address` (loading its page from `pages`, zero if absent) and writes
	/// `new` (or keeps it, for `None`) at timestamp `ts`; returns the old value and the previous
	/// timestamp.
	pub fn access(&mut self, pages: &BTreeMap<u32, [u8; PAGE]>, address: u32, new: Option<u8>, ts: u64) -> (u8, u64) {
		let page = address / PAGE as u32;
		let old_page = *self.old.entry(page).or_insert_with(|| pages.get(&page).copied().unwrap_or([0; PAGE]));
		let (value, prev) = self.cells.get(&address).copied().unwrap_or((old_page[address as usize % PAGE], 0));
		self.cells.insert(address, (new.unwrap_or(value), ts));
		(value, prev)
	}

	/// The touched pages, ascending: index, old and new contents.
	pub fn pages(&self) -> Vec<(u32, [u8; PAGE], [u8; PAGE])> {
		self.old
			.iter()
			.map(|(&page, old)| {
				let mut new = *old;
				for (i, byte) in new.iter_mut().enumerate() {
					if let Some(&(value, _)) = self.cells.get(&(page * PAGE as u32 + i as u32)) {
						*byte = value;
					}
				}
				(page, *old, new)
			})
			.collect()
	}

	/// The table's committed columns (after the public ones) over `2^num_vars` rows.
	pub fn columns(&self, num_vars: u32) -> Vec<Vec<Base>> {
		let mut columns = public_columns(&self.pages(), num_vars);
		columns.resize(columns::WIDTH, vec![Base::zero(); 1 << num_vars]);
		let mut row = 0;
		for &page in self.old.keys() {
			let mut touched = false;
			for i in 0..PAGE as u32 {
				let last = self.cells.get(&(page * PAGE as u32 + i)).map_or(0, |&(_, ts)| ts);
				let hi = (last >> crate::memory::LO_BITS) as u32;
				columns[columns::LAST_HI][row] = Base::from_value(hi);
				columns[columns::LAST_LO][row] = Base::from_value((last & ((1 << crate::memory::LO_BITS) - 1)) as u32);
				if hi != 0 {
					columns[columns::NZ][row] = Base::one();
					columns[columns::NZ_INV][row] = Base::from_value(hi).inv();
					touched = true;
				}
				columns[columns::T][row] = Base::from_value(u32::from(touched));
				row += 1;
			}
		}
		columns
	}
}

/// The state table's public columns over `2^num_vars` rows for these pages (ascending):
/// address, old, new, start (1 on the padding rows too), end.
pub fn public_columns(pages: &[(u32, [u8; PAGE], [u8; PAGE])], num_vars: u32) -> Vec<Vec<Base>> {
	let height = 1usize << num_vars;
	let mut columns = vec![vec![Base::zero(); height]; columns::PUBLIC];
	let mut row = 0;
	for (page, old, new) in pages {
		for i in 0..PAGE {
			columns[columns::ADDR][row] = Base::from_value(page * PAGE as u32 + i as u32);
			columns[columns::OLD][row] = Base::from_value(u32::from(old[i]));
			columns[columns::NEW][row] = Base::from_value(u32::from(new[i]));
			columns[columns::START][row] = Base::from_value(u32::from(i == 0));
			columns[columns::END][row] = Base::from_value(u32::from(i == PAGE - 1));
			row += 1;
		}
	}
	for value in &mut columns[columns::START][row..] {
		*value = Base::one();
	}
	columns
}
