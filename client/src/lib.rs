//! # Agentic client
//!
//! A small Rust client of an Agentic node over JSON-RPC (WebSocket), using the runtime's own
//! types for everything it encodes and decodes, so it cannot drift from the chain:
//!
//! - [`Client::sign`]: a signed transaction (e.g. `AgentRegistry::register`) by an sr25519 key;
//! - [`Client::authorized`]: the general transaction an agent submission travels in (no signer;
//!   the runtime's `AuthorizeCall` extension authorizes it through the submission pallet);
//! - [`Client::submit`] / [`Client::submit_and_watch`]: to the pool, and followed to inclusion
//!   and finality, with pool refusals decoded into [`PoolRefusal`];
//! - [`Client::agent_api`]: calls of the runtime's `AgentApi` (agents, checkpoints, time, fees);
//! - [`Client::events`]: the decoded events of a block (see [`events`] for the parachain
//!   flavour's own);
//! - [`dev_node::DevNode`]: a development node as a child process, for tests and tools.

pub mod dev_node;
pub mod events;

use agentic_runtime::{Address, Header, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension, UncheckedExtrinsic};
use codec::{Decode, Encode};
use jsonrpsee::{
	core::client::{ClientT, Subscription, SubscriptionClientT},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use sp_core::{sr25519, Bytes, Pair, H256};
use sp_runtime::generic::Era;
use std::time::Duration;

/// What can go wrong talking to a node.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The connection or a call failed.
	#[error("rpc: {0}")]
	Rpc(#[from] jsonrpsee::core::ClientError),
	/// The node answered bytes that do not decode as expected.
	#[error("decoding the node's answer: {0}")]
	Codec(#[from] codec::Error),
	/// The transaction pool refused a transaction.
	#[error("the pool refused the transaction: {0:?}")]
	Refused(PoolRefusal),
	/// A watched transaction left the pool without being finalized.
	#[error("the transaction was {0}")]
	Dropped(String),
	/// An answer had an unexpected shape.
	#[error("unexpected answer: {0}")]
	Unexpected(String),
}

/// Why the pool refused a transaction, from the node's JSON-RPC error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRefusal {
	/// The JSON-RPC error code (1010: invalid transaction, 1011: unknown validity, 1002:
	/// verification error such as undecodable bytes).
	pub code: i32,
	/// The error message.
	pub message: String,
	/// The error's data: for invalid transactions the reason, e.g. `"Custom error: 3"`,
	/// `"Transaction has a bad signature"` or `"Transaction is outdated"`.
	pub data: String,
}

impl PoolRefusal {
	/// The `InvalidTransaction::Custom` code, if the refusal is one.
	pub fn custom_code(&self) -> Option<u8> {
		self.data.split("Custom error: ").nth(1)?.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok()
	}
}

/// How a watched transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finalized {
	/// The block that included it.
	pub in_block: H256,
	/// The finalized block (the same block).
	pub finalized: H256,
}

/// A connection to one node.
pub struct Client {
	rpc: WsClient,
	genesis: H256,
	spec_version: u32,
	transaction_version: u32,
	/// The chain's event layouts, read from its metadata the first time a block has an event
	/// of a pallet the client's types lack.
	layouts: std::sync::OnceLock<events::EventLayouts>,
}

impl Client {
	/// Connects to `url` (e.g. `ws://127.0.0.1:9944`) and reads the chain's genesis hash and
	/// runtime version.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let rpc = WsClientBuilder::default().request_timeout(Duration::from_secs(60)).build(url).await?;
		let genesis: H256 = rpc.request("chain_getBlockHash", rpc_params![0u32]).await?;
		let version: serde_json::Value = rpc.request("state_getRuntimeVersion", rpc_params![]).await?;
		let field = |name: &str| {
			version
				.get(name)
				.and_then(|v| v.as_u64())
				.map(|v| v as u32)
				.ok_or_else(|| Error::Unexpected(format!("runtime version without {name}")))
		};
		Ok(Client {
			spec_version: field("specVersion")?,
			transaction_version: field("transactionVersion")?,
			rpc,
			genesis,
			layouts: std::sync::OnceLock::new(),
		})
	}

	/// The chain's genesis hash (what agent submissions are signed for).
	pub fn genesis(&self) -> H256 {
		self.genesis
	}

	/// The header of a block (the best block if `None`).
	pub async fn header(&self, at: Option<H256>) -> Result<Header, Error> {
		let header: Option<Header> = self.rpc.request("chain_getHeader", rpc_params![at]).await?;
		header.ok_or_else(|| Error::Unexpected("no such block".into()))
	}

	/// The hash of the latest finalized block.
	pub async fn finalized_head(&self) -> Result<H256, Error> {
		Ok(self.rpc.request("chain_getFinalizedHead", rpc_params![]).await?)
	}

	/// New best heads (`finalized = false`) or finalized heads (`true`) as they come.
	pub async fn subscribe_heads(&self, finalized: bool) -> Result<Subscription<Header>, Error> {
		let (method, unsubscribe) = if finalized {
			("chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
		} else {
			("chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
		};
		Ok(self.rpc.subscribe(method, rpc_params![], unsubscribe).await?)
	}

	/// The next nonce of an account, counting its transactions in the pool.
	pub async fn account_nonce(&self, who: &agentic_runtime::AccountId) -> Result<u32, Error> {
		Ok(self.rpc.request("system_accountNextIndex", rpc_params![who.to_string()]).await?)
	}

	/// Calls `AgentApi_<method>` with SCALE-encoded `args` at `at` (best block if `None`).
	pub async fn agent_api<R: Decode>(&self, method: &str, args: impl Encode, at: Option<H256>) -> Result<R, Error> {
		let bytes: Bytes =
			self.rpc.request("state_call", rpc_params![format!("AgentApi_{method}"), Bytes(args.encode()), at]).await?;
		Ok(R::decode(&mut &bytes[..])?)
	}

	/// The raw value of a plain storage item (`pallet::item`, no map key) at `at` (best block if
	/// `None`).
	pub async fn storage_value(&self, pallet: &str, item: &str, at: Option<H256>) -> Result<Option<Vec<u8>>, Error> {
		let mut key = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
		key.extend(sp_crypto_hashing::twox_128(item.as_bytes()));
		let bytes: Option<Bytes> = self.rpc.request("state_getStorage", rpc_params![Bytes(key), at]).await?;
		Ok(bytes.map(|b| b.0))
	}

	/// The events of a block, decoded with the runtime's types. Events of pallets those types
	/// lack (the parachain flavour's own) are left out; see [`events`].
	pub async fn events(&self, at: H256) -> Result<Vec<RuntimeEvent>, Error> {
		let Some(bytes) = self.storage_value("System", "Events", Some(at)).await? else { return Ok(Vec::new()) };
		match events::decode_events(&bytes, self.layouts.get()) {
			Err(_) if self.layouts.get().is_none() => {
				let layouts = self.event_layouts().await?;
				events::decode_events(&bytes, Some(layouts))
			},
			decoded => decoded,
		}
	}

	/// The chain's event layouts (from its metadata, read once).
	pub async fn event_layouts(&self) -> Result<&events::EventLayouts, Error> {
		if let Some(layouts) = self.layouts.get() {
			return Ok(layouts);
		}
		let metadata: Bytes = self.rpc.request("state_getMetadata", rpc_params![]).await?;
		let layouts = events::EventLayouts::from_metadata(&metadata)?;
		Ok(self.layouts.get_or_init(|| layouts))
	}

	/// The extensions of a transaction; `nonce` only matters for signed ones.
	fn extensions(nonce: u32) -> TxExtension {
		(
			frame_system::AuthorizeCall::new(),
			frame_system::CheckNonZeroSender::new(),
			frame_system::CheckSpecVersion::new(),
			frame_system::CheckTxVersion::new(),
			frame_system::CheckGenesis::new(),
			frame_system::CheckEra::from(Era::Immortal),
			frame_system::CheckNonce::from(nonce),
			frame_system::CheckWeight::new(),
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
			frame_system::WeightReclaim::new(),
		)
	}

	/// `call` signed by `signer` with account nonce `nonce` (immortal, no tip).
	pub fn sign(&self, call: RuntimeCall, signer: &sr25519::Pair, nonce: u32) -> UncheckedExtrinsic {
		let extensions = Self::extensions(nonce);
		let implicit =
			((), (), self.spec_version, self.transaction_version, self.genesis, self.genesis, (), (), (), ());
		let payload = SignedPayload::from_raw(call.clone(), extensions.clone(), implicit);
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		let account: agentic_runtime::AccountId = signer.public().into();
		UncheckedExtrinsic::new_signed(call, Address::Id(account), signature.into(), extensions)
	}

	/// `call` as a general transaction with no signer: valid only if a pallet authorizes it
	/// (an agent submission).
	pub fn authorized(&self, call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, Self::extensions(0))
	}

	/// Sends encoded transaction bytes to the pool; returns the transaction hash.
	pub async fn submit_bytes(&self, bytes: Vec<u8>) -> Result<H256, Error> {
		self.rpc.request("author_submitExtrinsic", rpc_params![Bytes(bytes)]).await.map_err(refusal)
	}

	/// Sends a transaction to the pool; returns its hash.
	pub async fn submit(&self, xt: &UncheckedExtrinsic) -> Result<H256, Error> {
		self.submit_bytes(xt.encode()).await
	}

	/// Registers an agent: signs `register` (a `register` call of the agent registry) with
	/// `owner`'s next nonce, follows it until finalized and returns the new agent's id, from the
	/// block's `Registered` event for `owner`.
	pub async fn register_agent(
		&self,
		register: RuntimeCall,
		owner: &sr25519::Pair,
		timeout: Duration,
	) -> Result<agentic_primitives::AgentId, Error> {
		let who: agentic_runtime::AccountId = owner.public().into();
		let nonce = self.account_nonce(&who).await?;
		let done = self.submit_and_watch(&self.sign(register, owner, nonce), timeout).await?;
		self.events(done.in_block)
			.await?
			.into_iter()
			.find_map(|e| match e {
				RuntimeEvent::AgentRegistry(pallet_agent_registry::Event::Registered { agent, owner: o, .. })
					if o == who =>
				{
					Some(agent)
				},
				_ => None,
			})
			.ok_or_else(|| Error::Unexpected("no Registered event for the owner in the block".into()))
	}

	/// Sends a transaction and follows it until its block is finalized.
	pub async fn submit_and_watch(&self, xt: &UncheckedExtrinsic, timeout: Duration) -> Result<Finalized, Error> {
		let mut watch = self.watch(xt).await?;
		let mut in_block = None;
		let deadline = tokio::time::Instant::now() + timeout;
		loop {
			let status = tokio::time::timeout_at(deadline, watch.next())
				.await
				.map_err(|_| Error::Dropped("not finalized before the timeout".into()))??;
			match status {
				TxStatus::InBlock(hash) => in_block = Some(hash),
				TxStatus::Retracted => in_block = None,
				TxStatus::Finalized(finalized) => {
					return Ok(Finalized { in_block: in_block.unwrap_or(finalized), finalized })
				},
				TxStatus::Ready | TxStatus::Future | TxStatus::Broadcast => {},
			}
		}
	}

	/// Sends a transaction and returns the stream of its pool statuses.
	pub async fn watch(&self, xt: &UncheckedExtrinsic) -> Result<TxWatch, Error> {
		self.watch_bytes(xt.encode()).await
	}

	/// Sends encoded transaction bytes and returns the stream of their pool statuses.
	pub async fn watch_bytes(&self, bytes: Vec<u8>) -> Result<TxWatch, Error> {
		let sub = self
			.rpc
			.subscribe("author_submitAndWatchExtrinsic", rpc_params![Bytes(bytes)], "author_unwatchExtrinsic")
			.await
			.map_err(refusal)?;
		Ok(TxWatch { sub })
	}

	/// Whether the connection is still up (a dropped connection is never re-established: connect
	/// again).
	pub fn is_connected(&self) -> bool {
		self.rpc.is_connected()
	}

	/// The hash of block `number` on the best chain, if it exists.
	pub async fn block_hash(&self, number: u32) -> Result<Option<H256>, Error> {
		Ok(self.rpc.request("chain_getBlockHash", rpc_params![number]).await?)
	}

	/// The transactions of a block that decode with this client's runtime types.
	///
	/// The client is built with the solo runtime's types; the agent pallets, balances, sudo and
	/// system have the same indices and calls in the parachain flavour, but its own inherents
	/// (`ParachainSystem::set_validation_data`, pallet 20) do not decode here and are left out,
	/// as is anything else this client cannot read. A caller looking for an agent submission
	/// therefore sees every submission (they are the same call in both flavours).
	pub async fn block_extrinsics(&self, at: H256) -> Result<Vec<UncheckedExtrinsic>, Error> {
		let block: Option<serde_json::Value> = self.rpc.request("chain_getBlock", rpc_params![at]).await?;
		let extrinsics = block
			.as_ref()
			.and_then(|b| b.get("block"))
			.and_then(|b| b.get("extrinsics"))
			.and_then(|x| x.as_array())
			.ok_or_else(|| Error::Unexpected("no such block".into()))?;
		let mut decoded = Vec::with_capacity(extrinsics.len());
		for x in extrinsics {
			let bytes: Bytes = serde_json::from_value(x.clone()).map_err(|e| Error::Unexpected(e.to_string()))?;
			if let Ok(xt) = UncheckedExtrinsic::decode(&mut &bytes[..]) {
				decoded.push(xt);
			}
		}
		Ok(decoded)
	}
}

/// A status of a watched transaction that does not end the watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxStatus {
	/// In the pool, ready.
	Ready,
	/// In the pool, waiting for something it requires.
	Future,
	/// Gossiped to peers.
	Broadcast,
	/// Included in this best block.
	InBlock(H256),
	/// Its block left the best chain; it is back in the pool.
	Retracted,
	/// Its block (this one) is finalized.
	Finalized(H256),
}

/// The pool statuses of one watched transaction.
pub struct TxWatch {
	sub: Subscription<serde_json::Value>,
}

impl TxWatch {
	/// The next status. Ends of the watch other than finality are errors
	/// ([`Error::Dropped`]): the transaction became invalid, was dropped or usurped, or its
	/// block was not finalized in time.
	pub async fn next(&mut self) -> Result<TxStatus, Error> {
		let status = match self.sub.next().await {
			Some(status) => status.map_err(|e| Error::Unexpected(e.to_string()))?,
			None => return Err(Error::Dropped("unwatched by the node (connection lost?)".into())),
		};
		let hash = |v: &serde_json::Value| -> Result<H256, Error> {
			serde_json::from_value(v.clone()).map_err(|e| Error::Unexpected(e.to_string()))
		};
		if let Some(h) = status.get("inBlock") {
			return Ok(TxStatus::InBlock(hash(h)?));
		}
		if let Some(h) = status.get("finalized") {
			return Ok(TxStatus::Finalized(hash(h)?));
		}
		if status.get("retracted").is_some() {
			return Ok(TxStatus::Retracted);
		}
		if status.get("broadcast").is_some() {
			return Ok(TxStatus::Broadcast);
		}
		match status.as_str() {
			Some("ready") => Ok(TxStatus::Ready),
			Some("future") => Ok(TxStatus::Future),
			_ => Err(Error::Dropped(status.to_string())),
		}
	}
}

/// Turns a JSON-RPC call error into a [`PoolRefusal`] where it is one.
fn refusal(e: jsonrpsee::core::ClientError) -> Error {
	if let jsonrpsee::core::ClientError::Call(obj) = &e {
		return Error::Refused(PoolRefusal {
			code: obj.code(),
			message: obj.message().to_string(),
			data: obj.data().map(|d| d.get().trim_matches('"').to_string()).unwrap_or_default(),
		});
	}
	Error::Rpc(e)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn custom_codes_are_read_from_refusals() {
		let r = |data: &str| PoolRefusal { code: 1010, message: "Invalid Transaction".into(), data: data.into() };
		assert_eq!(r("Custom error: 3").custom_code(), Some(3));
		assert_eq!(r("Transaction has a bad signature").custom_code(), None);
	}
}
