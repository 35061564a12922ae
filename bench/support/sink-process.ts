/**
 * The recording sink as its own process, so a drill can take SMTP down hard (SIGKILL) and
 * bring it back on the same port:  node bench/support/sink-process.ts PORT RECORDS.jsonl
 */
import { RecordingSink } from './recording-sink.ts';

const [port, file] = process.argv.slice(2);
if (!port || !file) throw new Error('usage: sink-process.ts PORT RECORDS.jsonl');
const sink = new RecordingSink(file);
await sink.listen(Number(port));
console.log(`listening ${sink.port}`);
