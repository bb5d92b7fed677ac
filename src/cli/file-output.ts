/**
 * Writes to stdout or stderr. Node writes to a file (`> plan.json`) synchronously and drops what
 * a short write left over (a disk filling up midway): the file would be cut short and the command
 * exit 0. Here the rest is written too, so a full disk fails the write, and the failure is the
 * stream's error, which closed-pipe.ts reports (stderr, exit 1).
 */
import { fstatSync, writeSync } from 'node:fs';

export function outputWriter(stream: NodeJS.WriteStream): (text: string) => void {
	const fd = (stream as { fd?: unknown }).fd;
	if (typeof fd !== 'number' || !isFile(fd)) return (text) => void stream.write(text);
	return (text) => {
		if (stream.destroyed) return;
		try {
			writeWhole(fd, Buffer.from(text));
		} catch (error) {
			stream.destroy(error as Error);
		}
	};
}

function isFile(fd: number): boolean {
	try {
		return fstatSync(fd).isFile();
	} catch {
		return false;
	}
}

/** Every byte, or the error of the write that could not go on; each write makes progress. */
function writeWhole(fd: number, bytes: Buffer): void {
	for (let offset = 0; offset < bytes.length;) {
		const written = writeSync(fd, bytes, offset);
		if (written <= 0) throw Object.assign(new Error('nothing written'), { code: 'EIO' });
		offset += written;
	}
}
