// The offline layer's reading of strace output (test/offline/destinations.mjs): loopback and local IPC pass,
// name lookups and every other address are leaks. Also one real strace run of a Node process that reaches
// loopback and then asks the resolver for a name, which must show up as a leak.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain JavaScript module without types
import { classify, parseLine, summarize } from "../../offline/destinations.mjs";

const LINES = [
  '100<node> connect(19, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
  '101<chromium> connect(7, {sa_family=AF_UNIX, sun_path="/tmp/x/vscode-ipc.sock"}, 110) = 0',
  '101<chromium> connect(7, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11"}, 20) = 0',
  '102<node> connect(20, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  '103<node> connect(20, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
  '104<ThreadPoolForeg> connect(30, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) = -1 ENETUNREACH',
  '105<node> connect(20, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)',
  '110<Chrome_ChildIOT> connect(22<UDPv6:[4242]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  '111<Chrome_ChildIOT> connect(22<TCPv6:[4243]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  '106<node> sendto(5, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 1',
  '107<node> connect(5, {sa_family=AF_UNSPEC, sa_data="\\0\\0"}, 16) = 0',
  "108<node> connect(5, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0",
  "109<node> +++ exited with 0 +++",
];

test("each kind of destination is sorted correctly", () => {
  const kinds = LINES.map((l) => parseLine(l)).map((e) => (e ? classify(e) : undefined));
  assert.deepEqual(kinds, ["loopback", "ipc", "ipc", "loopback", "leak: a DNS query", "leak: a network address", "ipc", "route probe (UDP, no packet)", "leak: a network address", "leak: a network address", "none", "kernel", undefined]);
  assert.equal(classify(parseLine('105<node> connect(20, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = 0')), "leak: a name lookup", "a name-service daemon that answered");
  const { destinations, leaks } = summarize(LINES.join("\n"));
  assert.equal(leaks.length, 4);
  assert.ok(destinations.some((d: { address: string; processes: string[] }) => d.address === "142.250.1.1:443" && d.processes.includes("ThreadPoolForeg")));
});

test("a datagram on a connected UDP socket is judged by the socket's peer", () => {
  const local = parseLine('5<node> sendto(9<UDP:[127.0.0.1:40000->127.0.0.1:5353]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1');
  const probe = parseLine('5<Chrome_ChildIOT> sendmmsg(9<UDPv6:[[fe80::1]:40000->[2001:4860:4860::8888]:443]>, [...], 1, 0) = 1');
  const unknown = parseLine('5<node> sendmsg(9<UDP:[12345]>, {msg_name=NULL, msg_namelen=0}, 0) = 1');
  assert.equal(classify(local), "loopback");
  assert.equal(classify(probe), "leak: a network address", "a packet to the probe address is no longer a probe");
  assert.match(classify(unknown), /^leak/);
});

test("a call split by strace into unfinished and resumed halves gets its result", () => {
  const log = [
    '7<ls> connect(3<UNIX-STREAM:[1]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110 <unfinished ...>',
    "8<node> write(1, ...) = 1",
    "7<ls> <... connect resumed>)        = -1 ENOENT (No such file or directory)",
    '9<ls> connect(3<UNIX-STREAM:[2]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110 <unfinished ...>',
    "9<ls> <... connect resumed>)        = 0",
  ].join("\n");
  const { destinations, leaks } = summarize(log);
  assert.deepEqual(destinations.map((d: { kind: string; count: number }) => [d.kind, d.count]), [["ipc", 1], ["leak: a name lookup", 1]]);
  assert.equal(leaks.length, 1);
});

test("a real traced process: a loopback connect passes, a name lookup is caught", () => {
  const log = join(mkdtempSync(join(tmpdir(), "freehold-strace-")), "trace.txt");
  const script = 'const s=require("net").connect(9,"127.0.0.1");s.on("error",()=>{});require("dns").lookup("example.invalid",()=>process.exit(0));setTimeout(()=>process.exit(0),5000)';
  const run = spawnSync("strace", ["-f", "--seccomp-bpf", "-Y", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", log, process.execPath, "-e", script], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const { destinations, leaks } = summarize(readFileSync(log, "utf8"));
  assert.ok(destinations.some((d: { kind: string; address: string }) => d.kind === "loopback" && d.address === "127.0.0.1:9"));
  assert.ok(leaks.length > 0, "the name lookup is a leak");
});
