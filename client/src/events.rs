//! A block's events, read with the runtime's own types even where the chain has pallets those
//! types do not know.
//!
//! The client is compiled against the solo runtime. The parachain flavour shares every pallet
//! the client reads (same indices, same events) but adds `ParachainSystem`, `ParachainInfo` and
//! `AuraExt`, whose events (a runtime upgrade, downward messages) the solo `RuntimeEvent` cannot
//! decode. SCALE has no lengths, so one unknown event would make the rest of the block unreadable.
//! [`EventLayouts`] holds the chain's own type registry (from its metadata) and is used to step
//! over exactly those events; everything else is decoded with the typed `RuntimeEvent`.

use crate::Error;
use agentic_runtime::RuntimeEvent;
use codec::{Compact, Decode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::OnceLock,
};

/// How deep a type may nest before the registry is taken as malformed (a cycle, say).
const MAX_DEPTH: usize = 64;

/// The layouts of the chain's pallet events: each pallet's event type in the chain's registry.
pub struct EventLayouts {
	registry: PortableRegistry,
	/// Pallet index to the type id of its event enum.
	pallet_events: BTreeMap<u8, u32>,
}

impl EventLayouts {
	/// From the SCALE bytes of the chain's metadata (`state_getMetadata`, version 14 or 15).
	pub fn from_metadata(bytes: &[u8]) -> Result<Self, Error> {
		let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..])?;
		let (registry, pallets): (PortableRegistry, Vec<(u8, Option<u32>)>) = match prefixed.1 {
			RuntimeMetadata::V14(m) => {
				(m.types, m.pallets.iter().map(|p| (p.index, p.event.as_ref().map(|e| e.ty.id))).collect())
			},
			RuntimeMetadata::V15(m) => {
				(m.types, m.pallets.iter().map(|p| (p.index, p.event.as_ref().map(|e| e.ty.id))).collect())
			},
			other => return Err(Error::Unexpected(format!("metadata version {} is not supported", other.version()))),
		};
		Ok(Self::new(registry, pallets.into_iter().filter_map(|(index, ty)| Some((index, ty?)))))
	}

	/// From a registry and each pallet's (index, event type id).
	pub fn new(registry: PortableRegistry, pallet_events: impl IntoIterator<Item = (u8, u32)>) -> Self {
		EventLayouts { registry, pallet_events: pallet_events.into_iter().collect() }
	}

	/// Whether the chain has a pallet with events at `index`.
	pub fn has_pallet_events(&self, index: u8) -> bool {
		self.pallet_events.contains_key(&index)
	}

	/// Steps over one encoded `RuntimeEvent` (pallet index, then that pallet's event).
	fn skip_event(&self, input: &mut &[u8]) -> Result<u8, Error> {
		let pallet = u8::decode(input)?;
		let ty = self.pallet_events.get(&pallet).ok_or_else(|| {
			Error::Unexpected(format!("an event of pallet {pallet}, which the chain's metadata lacks"))
		})?;
		self.skip(*ty, input, 0)?;
		Ok(pallet)
	}

	/// Steps over one value of type `id`.
	fn skip(&self, id: u32, input: &mut &[u8], depth: usize) -> Result<(), Error> {
		if depth > MAX_DEPTH {
			return Err(Error::Unexpected(format!("type {id} nests deeper than {MAX_DEPTH}")));
		}
		let ty =
			self.registry.resolve(id).ok_or_else(|| Error::Unexpected(format!("type {id} is not in the registry")))?;
		match &ty.type_def {
			TypeDef::Composite(c) => {
				for field in &c.fields {
					self.skip(field.ty.id, input, depth + 1)?;
				}
			},
			TypeDef::Variant(v) => {
				let index = u8::decode(input)?;
				let variant = v
					.variants
					.iter()
					.find(|v| v.index == index)
					.ok_or_else(|| Error::Unexpected(format!("variant {index} of type {id} does not exist")))?;
				for field in &variant.fields {
					self.skip(field.ty.id, input, depth + 1)?;
				}
			},
			TypeDef::Sequence(s) => {
				let len = Compact::<u32>::decode(input)?.0;
				for _ in 0..len {
					self.skip(s.type_param.id, input, depth + 1)?;
				}
			},
			TypeDef::Array(a) => {
				for _ in 0..a.len {
					self.skip(a.type_param.id, input, depth + 1)?;
				}
			},
			TypeDef::Tuple(t) => {
				for field in &t.fields {
					self.skip(field.id, input, depth + 1)?;
				}
			},
			TypeDef::Primitive(p) => {
				let len = primitive_len(p, input)?;
				skip_bytes(input, len)?
			},
			TypeDef::Compact(_) => skip_compact(input)?,
			TypeDef::BitSequence(b) => {
				let bits = Compact::<u32>::decode(input)?.0 as usize;
				let store = self.registry.resolve(b.bit_store_type.id).map(|t| &t.type_def);
				let width = match store {
					Some(TypeDef::Primitive(TypeDefPrimitive::U8)) => 8,
					Some(TypeDef::Primitive(TypeDefPrimitive::U16)) => 16,
					Some(TypeDef::Primitive(TypeDefPrimitive::U32)) => 32,
					Some(TypeDef::Primitive(TypeDefPrimitive::U64)) => 64,
					_ => return Err(Error::Unexpected(format!("bit sequence {id} with an unknown store type"))),
				};
				skip_bytes(input, bits.div_ceil(width) * width / 8)?;
			},
		}
		Ok(())
	}
}

/// The encoded length of a primitive (for `str`, after reading its length prefix).
fn primitive_len(p: &TypeDefPrimitive, input: &mut &[u8]) -> Result<usize, Error> {
	Ok(match p {
		TypeDefPrimitive::Bool | TypeDefPrimitive::U8 | TypeDefPrimitive::I8 => 1,
		TypeDefPrimitive::U16 | TypeDefPrimitive::I16 => 2,
		TypeDefPrimitive::Char | TypeDefPrimitive::U32 | TypeDefPrimitive::I32 => 4,
		TypeDefPrimitive::U64 | TypeDefPrimitive::I64 => 8,
		TypeDefPrimitive::U128 | TypeDefPrimitive::I128 => 16,
		TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => 32,
		TypeDefPrimitive::Str => Compact::<u32>::decode(input)?.0 as usize,
	})
}

/// Steps over a compact integer of any width.
fn skip_compact(input: &mut &[u8]) -> Result<(), Error> {
	let first = *input.first().ok_or_else(|| codec::Error::from("compact: no bytes"))?;
	let len = match first & 0b11 {
		0b00 => 1,
		0b01 => 2,
		0b10 => 4,
		_ => (first >> 2) as usize + 4 + 1,
	};
	skip_bytes(input, len)
}

fn skip_bytes(input: &mut &[u8], n: usize) -> Result<(), Error> {
	if input.len() < n {
		return Err(codec::Error::from("not enough bytes").into());
	}
	*input = &input[n..];
	Ok(())
}

/// The pallet indices the client's `RuntimeEvent` has.
fn client_pallets() -> &'static BTreeSet<u8> {
	static PALLETS: OnceLock<BTreeSet<u8>> = OnceLock::new();
	PALLETS.get_or_init(|| {
		let mut registry = scale_info::Registry::new();
		let id = registry.register_type(&scale_info::meta_type::<RuntimeEvent>()).id;
		let registry: PortableRegistry = registry.into();
		match registry.resolve(id).map(|t| &t.type_def) {
			Some(TypeDef::Variant(v)) => v.variants.iter().map(|v| v.index).collect(),
			_ => BTreeSet::new(),
		}
	})
}

/// Decodes `System::Events` (a vector of event records: phase, event, topics).
///
/// Events of pallets this client's `RuntimeEvent` does not have are stepped over with `layouts`
/// (the chain's registry) and left out; without `layouts` they are an error. An event of a pallet
/// the client has must decode with the client's types.
pub fn decode_events(bytes: &[u8], layouts: Option<&EventLayouts>) -> Result<Vec<RuntimeEvent>, Error> {
	let input = &mut &bytes[..];
	let count = Compact::<u32>::decode(input)?.0;
	let mut events = Vec::new();
	for _ in 0..count {
		frame_system::Phase::decode(input)?;
		let pallet = *input.first().ok_or_else(|| codec::Error::from("an event record without its event"))?;
		match layouts {
			// A pallet this client's types do not have: step over its event.
			Some(layouts) if !client_pallets().contains(&pallet) => {
				layouts.skip_event(input)?;
			},
			// One it has must decode with them: a failure means the chain's types differ from
			// the client's, which must not pass unnoticed.
			_ => events.push(RuntimeEvent::decode(input)?),
		}
		Vec::<agentic_runtime::Hash>::decode(input)?;
	}
	if !input.is_empty() {
		return Err(Error::Unexpected(format!("{} bytes after the last event record", input.len())));
	}
	Ok(events)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use frame_system::{EventRecord, Phase};
	use scale_info::{meta_type, Registry, TypeInfo};

	/// An event enum of a pallet the solo runtime does not have.
	#[derive(Encode, TypeInfo)]
	enum Foreign {
		Stored,
		Applied { relay_block: u32, note: Vec<u8>, hash: Option<[u8; 32]> },
		Weighed(#[codec(compact)] u64, (bool, String)),
	}

	fn layouts() -> EventLayouts {
		let mut registry = Registry::new();
		let id = registry.register_type(&meta_type::<Foreign>()).id;
		EventLayouts::new(registry.into(), [(20u8, id)])
	}

	fn known(n: u8) -> EventRecord<RuntimeEvent, agentic_runtime::Hash> {
		let event = frame_system::Event::<agentic_runtime::Runtime>::Remarked {
			sender: agentic_runtime::AccountId::new([n; 32]),
			hash: agentic_runtime::Hash::repeat_byte(n),
		};
		EventRecord { phase: Phase::Initialization, event: RuntimeEvent::System(event), topics: vec![] }
	}

	/// The bytes of a record carrying `event` of pallet 20.
	fn foreign(event: Foreign) -> Vec<u8> {
		let mut bytes = Phase::ApplyExtrinsic(0).encode();
		bytes.push(20);
		bytes.extend(event.encode());
		bytes.extend(vec![agentic_runtime::Hash::repeat_byte(7)].encode());
		bytes
	}

	fn events_bytes(records: Vec<Vec<u8>>) -> Vec<u8> {
		let mut bytes = Compact(records.len() as u32).encode();
		for r in records {
			bytes.extend(r);
		}
		bytes
	}

	#[test]
	fn known_events_decode_without_metadata() {
		let bytes = vec![known(1), known(2)].encode();
		assert_eq!(decode_events(&bytes, None).unwrap().len(), 2);
	}

	#[test]
	fn foreign_events_are_stepped_over_and_the_rest_decode() {
		let bytes = events_bytes(vec![
			known(1).encode(),
			foreign(Foreign::Applied { relay_block: 9, note: b"upgrade".to_vec(), hash: Some([1; 32]) }),
			foreign(Foreign::Stored),
			foreign(Foreign::Weighed(1 << 40, (true, "\u{e9}t\u{e9}".into()))),
			known(2).encode(),
		]);
		let events = decode_events(&bytes, Some(&layouts())).unwrap();
		assert_eq!(events, vec![known(1).event, known(2).event]);
		// Without the chain's layouts a foreign event is an error, not a silent truncation.
		assert!(decode_events(&bytes, None).is_err());
		assert!(client_pallets().contains(&0) && !client_pallets().contains(&20));
	}

	#[test]
	fn an_event_of_a_known_pallet_that_does_not_decode_is_an_error() {
		// System (pallet 0) with a variant index the client's types lack: even if the chain's
		// registry could step over it, it is a type mismatch and must not be dropped silently.
		#[derive(Encode, TypeInfo)]
		enum OddSystem {
			#[codec(index = 200)]
			Odd,
		}
		let mut registry = Registry::new();
		let id = registry.register_type(&meta_type::<OddSystem>()).id;
		let layouts = EventLayouts::new(registry.into(), [(0u8, id)]);
		let mut bad = Phase::Initialization.encode();
		bad.push(0);
		bad.extend(OddSystem::Odd.encode());
		bad.extend(Vec::<agentic_runtime::Hash>::new().encode());
		assert!(decode_events(&events_bytes(vec![bad]), Some(&layouts)).is_err());
	}

	#[test]
	fn malformed_event_bytes_are_errors() {
		let layouts = layouts();
		// An unknown variant of the foreign enum.
		let mut bad = Phase::Initialization.encode();
		bad.extend([20u8, 9]);
		bad.extend(Vec::<agentic_runtime::Hash>::new().encode());
		assert!(decode_events(&events_bytes(vec![bad]), Some(&layouts)).is_err());
		// A pallet the metadata does not have.
		let mut unknown = Phase::Initialization.encode();
		unknown.extend([99u8, 0]);
		unknown.extend(Vec::<agentic_runtime::Hash>::new().encode());
		assert!(decode_events(&events_bytes(vec![unknown]), Some(&layouts)).is_err());
		// A record cut short, and bytes left over.
		let full = events_bytes(vec![foreign(Foreign::Applied { relay_block: 1, note: vec![1, 2, 3], hash: None })]);
		assert!(decode_events(&full[..full.len() - 5], Some(&layouts)).is_err());
		let mut extra = full.clone();
		extra.push(0);
		assert!(decode_events(&extra, Some(&layouts)).is_err());
		assert!(decode_events(&full, Some(&layouts)).unwrap().is_empty());
	}
}
