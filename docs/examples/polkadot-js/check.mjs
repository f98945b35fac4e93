// Exercises docs/dapp.md against a running dev node: reads through storage and the AgentApi runtime
// API, a finalized-heads subscription, and signed calls from a wallet-style keyring.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const fail = (m) => { console.error('FAIL', m); process.exit(1); };

const info = await api.query.agentRegistry.agents(0);
if (info.isNone) fail('no sample agent');
console.log('agent 0:', JSON.stringify(info.toHuman()));

const page = await api.call.agentApi.agents(0, 100);
console.log('agents via runtime API:', page.length, 'first root', page[0][1].stateRoot.toHex());

const head = await api.rpc.chain.getFinalizedHead();
const at = await api.at(head);
console.log('finalized checkpoint', (await at.query.checkpoints.root()).toHex());
const proof = await api.call.agentApi.checkpointProof(0);
if (proof.isNone) fail('no checkpoint proof');
console.log('proof siblings:', proof.unwrap().siblings.length);
console.log('consensus time:', (await api.call.agentApi.consensusTime()).toString());
console.log('fee quote (1000 steps, 2 KiB):', (await api.call.agentApi.quoteFee(1000, 2048)).toString());
console.log('limits:', JSON.stringify((await api.call.agentApi.submissionLimits()).toHuman()));

const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
// Signed calls: top up the sample agent's prepaid fees, then add to its bond.
for (const [name, tx] of [
  ['agentFees.topUp', api.tx.agentFees.topUp(0, 1_000_000_000_000n)],
  ['agentStaking.bondExtra', api.tx.agentStaking.bondExtra(0, 1_000_000_000_000n)],
]) {
  await new Promise((resolve, reject) => {
    tx.signAndSend(alice, ({ status, dispatchError, events }) => {
      if (dispatchError) reject(new Error(`${name}: ${dispatchError.toString()}`));
      if (status.isInBlock) {
        const names = events.map(({ event }) => `${event.section}.${event.method}`);
        console.log(name, 'in block', status.asInBlock.toHex(), names.join(','));
        resolve();
      }
    }).catch(reject);
  });
}

let seen = 0;
await new Promise((resolve) => {
  api.rpc.chain.subscribeFinalizedHeads(async (header) => {
    const root = await (await api.at(header.hash)).query.checkpoints.root();
    console.log(`finalized #${header.number}: checkpoint ${root.toHex()}`);
    if (++seen >= 2) resolve();
  });
});
await api.disconnect();
console.log('OK');
