// A zombienet js-script: pushes one transition of the genesis counter agent (agent 0, key
// //Alice) through the collator `nodeName` with the real prover worker, and returns the agent's
// version in the collator's finalized state once it is at least 1. It throws (the check fails)
// if the worker is missing, if that does not happen within nine minutes, or if the chain has
// no consensus time by then (the collators' timestamps feed the time oracle).
//
// The worker binary is $AGENTIC_PROVER_WORKER (zombienet/run.sh sets it). The worker executes
// the counter on one input off-chain, checks the evidence with the runtime's own verifier,
// signs it with the agent's key and submits it as the authorized unsigned transaction; the
// collator's runtime re-executes it and the relay chain finalizes the block.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

async function run(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const worker = process.env.AGENTIC_PROVER_WORKER;
  if (!worker || !fs.existsSync(worker)) {
    throw new Error(`AGENTIC_PROVER_WORKER (${worker}) is not a file: run this test through zombienet/run.sh`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentic-zombie-'));
  fs.writeFileSync(path.join(dir, 'alice.key'), '//Alice\n');
  // One input: add 2 to the counter (eight bytes, little endian).
  fs.writeFileSync(path.join(dir, 'counter.inputs'), '0200000000000000\n');
  fs.writeFileSync(
    path.join(dir, 'worker.toml'),
    [
      `endpoints = ["${wsUri}"]`,
      'data_dir = "data"',
      '',
      '[[agents]]',
      'id = 0',
      'program = "example:counter"',
      'key_file = "alice.key"',
      'policy = { kind = "time", interval_ms = 1000 }',
      'input = { kind = "file", path = "counter.inputs" }',
      '',
    ].join('\n'),
  );
  const log = fs.openSync(path.join(dir, 'worker.log'), 'a');
  const child = spawn(worker, ['run', '--config', path.join(dir, 'worker.toml')], {
    cwd: dir,
    stdio: ['ignore', log, log],
  });
  console.log(`prover-worker started against ${wsUri}; log in ${dir}/worker.log`);
  // zombienet may end the process when the check times out: the worker goes with it.
  const stop = () => child.kill('SIGTERM');
  process.once('exit', stop);

  const api = await zombie.connect(wsUri, userDefinedTypes);
  try {
    // Within the check's 600 s, so that a timeout here says why.
    const deadline = Date.now() + 540_000;
    while (Date.now() < deadline) {
      const head = await api.rpc.chain.getFinalizedHead();
      const at = await api.at(head);
      // Storage, not `at.call.agentApi`: zombienet's bundled @polkadot/api (14.3.1) falls back
      // to metadata V14 against a runtime whose newest is V16, and V14 lists no runtime APIs.
      const info = await at.query.agentRegistry.agents(0);
      if (info.isSome && info.unwrap().version.toNumber() >= 1) {
        const agent = info.unwrap();
        console.log(`agent 0 finalized at v${agent.version.toNumber()}, root ${agent.stateRoot.toHex()}`);
        const now = await at.query.timeOracle.now();
        if (now.isNone) {
          throw new Error('no consensus time in the finalized state: the collators do not feed the time oracle');
        }
        console.log(`consensus time ${now.unwrap().toNumber()} ms`);
        return agent.version.toNumber();
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    throw new Error(`agent 0 did not reach v1 in the finalized state; see ${dir}/worker.log`);
  } finally {
    process.removeListener('exit', stop);
    stop();
    await api.disconnect();
  }
}

module.exports = { run };
