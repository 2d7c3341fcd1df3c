/**
 * Run by tmux pipe-pane (see pane-output.ts): copies what the pane's program writes to the benchmark's socket as
 * it comes, so the benchmark stamps each chunk when tmux had it. Usage: node pane-relay.js /tmp/socket
 */
import net from 'node:net';

const socket = net.connect(process.argv[2]!);
socket.on('error', () => process.exit(0));
process.stdin.pipe(socket);
