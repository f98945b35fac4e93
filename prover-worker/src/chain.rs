//! The worker's view of the chain: one or more node endpoints, failed over.
//!
//! The worker talks JSON-RPC over WebSocket through [`agentic_client`], which encodes and
//! decodes with the runtime crate's own types (so a type change cannot drift unnoticed, and
//! no metadata code generation or second SCALE stack is built, as `subxt` would need).
//!
//! [`Chain::client`] hands out the current connection, connecting when there is none: the
//! endpoints are tried in order starting after the one that last failed, with a growing pause
//! between rounds. A caller that sees a connection-level error reports it with
//! [`Chain::failed`], which drops that connection so the next call fails over. Every endpoint
//! must serve the same chain (same genesis); one that does not is skipped with an error.

use agentic_client::{Client, Error as ClientError};
use sp_core::H256;
use std::{sync::Arc, time::Duration};
use tokio::sync::{watch, Mutex};

/// Endpoints and the current connection.
pub struct Chain {
	endpoints: Vec<String>,
	genesis: Option<H256>,
	state: Mutex<State>,
	shutdown: Option<watch::Receiver<bool>>,
}

/// The worker is shutting down: no connection is handed out any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShuttingDown;

struct State {
	client: Option<(usize, Arc<Client>)>,
	next: usize,
}

/// Whether an error means the connection (not the request) failed.
pub fn is_connection_error(e: &ClientError) -> bool {
	matches!(e, ClientError::Rpc(_)) || matches!(e, ClientError::Dropped(m) if m.contains("connection"))
}

impl Chain {
	/// A chain reached through `endpoints`; when `genesis` is given, endpoints serving another
	/// chain are refused.
	pub fn new(endpoints: Vec<String>, genesis: Option<H256>) -> Self {
		Chain { endpoints, genesis, state: Mutex::new(State { client: None, next: 0 }), shutdown: None }
	}

	/// Stops [`Chain::client`] from waiting for an endpoint once `shutdown` becomes `true`.
	pub fn with_shutdown(mut self, shutdown: watch::Receiver<bool>) -> Self {
		self.shutdown = Some(shutdown);
		self
	}

	fn shutting_down(&self) -> bool {
		self.shutdown.as_ref().is_some_and(|s| *s.borrow())
	}

	/// Connects to the first endpoint that answers, trying each at most once.
	pub async fn try_connect(&self) -> Result<Arc<Client>, String> {
		let mut state = self.state.lock().await;
		if let Some((_, client)) = &state.client {
			if client.is_connected() {
				return Ok(client.clone());
			}
		}
		state.client = None;
		let mut errors = Vec::new();
		for _ in 0..self.endpoints.len() {
			let index = state.next % self.endpoints.len();
			state.next = index + 1;
			let url = &self.endpoints[index];
			match Client::connect(url).await {
				Ok(client) if self.genesis.is_some_and(|g| g != client.genesis()) => {
					tracing::error!(%url, genesis = ?client.genesis(), "endpoint serves another chain; skipped");
					errors.push(format!("{url}: another chain"));
				},
				Ok(client) => {
					let client = Arc::new(client);
					tracing::info!(%url, "connected");
					state.client = Some((index, client.clone()));
					// After a failure, start from the endpoint after this one.
					state.next = index;
					return Ok(client);
				},
				Err(e) => errors.push(format!("{url}: {e}")),
			}
		}
		Err(errors.join("; "))
	}

	/// The current connection, connecting (and failing over) until one endpoint answers or the
	/// worker shuts down.
	pub async fn client(&self) -> Result<Arc<Client>, ShuttingDown> {
		let mut pause = Duration::from_millis(250);
		loop {
			if self.shutting_down() {
				return Err(ShuttingDown);
			}
			match self.try_connect().await {
				Ok(client) => return Ok(client),
				Err(e) => {
					tracing::warn!(error = %e, retry_in_ms = pause.as_millis() as u64, "no endpoint answers");
					let mut shutdown = self.shutdown.clone();
					tokio::select! {
						_ = tokio::time::sleep(pause) => {},
						_ = async {
							match shutdown.as_mut() {
								Some(s) => { let _ = s.changed().await; },
								None => std::future::pending::<()>().await,
							}
						} => {},
					}
					pause = (pause * 2).min(Duration::from_secs(5));
				},
			}
		}
	}

	/// Reports that `client` failed: it is dropped and the next call connects to the next
	/// endpoint.
	pub async fn failed(&self, client: &Arc<Client>) {
		let mut state = self.state.lock().await;
		if let Some((index, current)) = &state.client {
			if Arc::ptr_eq(current, client) {
				tracing::warn!(url = %self.endpoints[*index], "connection failed; failing over");
				state.next = index + 1;
				state.client = None;
			}
		}
	}
}
