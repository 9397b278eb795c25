// Reads an strace log (`strace -f -Y -yy -e trace=connect,sendto,sendmsg`) and sorts every socket address a
// process reached for: loopback and local IPC are fine; a name lookup (port 53, or a name-service daemon that
// answered) or any other address is a leak. One exception, printed like the rest: Chromium's IPv6
// reachability probe, a UDP connect() to 2001:4860:4860::8888 port 443 that sends no packet (a UDP connect
// only picks a route; a packet to it would need a sendto/sendmsg with that address, which counts as a leak).
// Plain JavaScript: the offline runner and its unit test both use it.

const SOCKADDR = /\{sa_family=(AF_[A-Z0-9]+)(?:, ([^}]*))?\}/;

/** @returns {{ pid: string, process: string, call: string, family: string, address: string, result: string } | undefined} */
export function parseLine(line) {
  const head = /^(\d+)(?:<([^>]*)>)?\s+(connect|sendto|sendmsg|sendmmsg)\((?:\d+)(?:<([A-Za-z0-9]+))?/.exec(line);
  if (!head) return undefined;
  const addr = SOCKADDR.exec(line);
  if (!addr) {
    // A datagram on a connected UDP socket names no address; -yy shows the socket's peer instead. A peer that
    // cannot be read counts as a network address (better a false alarm than a missed packet).
    const udp = /^\d+(?:<[^>]*>)?\s+(?:sendto|sendmsg|sendmmsg)\(\d+<(UDPv?6?):\[(.*?)\]>[,)]/.exec(line);
    if (!udp) return undefined;
    const peer = /->(.*)$/.exec(udp[2])?.[1] ?? "unknown peer";
    const v6 = udp[1].endsWith("6");
    const port = /:(\d+)$/.exec(peer)?.[1] ?? "?";
    const host = peer.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
    return { pid: head[1], process: head[2] ?? "?", call: head[3], protocol: udp[1], family: v6 ? "AF_INET6" : "AF_INET", address: v6 ? `[${host}]:${port}` : `${host}:${port}`, result: "" };
  }
  const [, family, rest = ""] = addr;
  let address = rest;
  if (family === "AF_INET") {
    const port = /sin_port=htons\((\d+)\)/.exec(rest)?.[1];
    const ip = /inet_addr\("([^"]+)"\)/.exec(rest)?.[1];
    address = `${ip}:${port}`;
  } else if (family === "AF_INET6") {
    const port = /sin6_port=htons\((\d+)\)/.exec(rest)?.[1];
    const ip = /inet_pton\(AF_INET6, "([^"]+)"/.exec(rest)?.[1];
    address = `[${ip}]:${port}`;
  } else if (family === "AF_UNIX") {
    address = /sun_path=(@?"[^"]*")/.exec(rest)?.[1] ?? "(unnamed)";
  } else if (family === "AF_NETLINK") {
    address = "kernel";
  }
  const result = /\)\s+=\s+(.*)$/.exec(line)?.[1] ?? (/<unfinished/.test(line) ? "unfinished" : "");
  return { pid: head[1], process: head[2] ?? "?", call: head[3], protocol: head[4] ?? "", family, address, result };
}

/**
 * "loopback", "ipc", "kernel", "none" (AF_UNSPEC: a disconnect), "configured server" (an address in `allowed`:
 * the team server a remote engine was set to, exactly that "ip:port") or "leak: <why>".
 */
export function classify(entry, allowed = []) {
  const { family, address } = entry;
  if ((family === "AF_INET" || family === "AF_INET6") && allowed.includes(address)) return "configured server";
  if (family === "AF_UNSPEC") return "none";
  if (family === "AF_NETLINK") return "kernel";
  // A name-service daemon that is not there (ENOENT, ECONNREFUSED) answered nothing; one that answered may have
  // resolved a name.
  if (family === "AF_UNIX") return /nscd|resolve/i.test(address) && !/^-1/.test(entry.result ?? "") ? "leak: a name lookup" : "ipc";
  const port = Number(/:(\d+)$/.exec(address)?.[1]);
  if (port === 53) return "leak: a DNS query";
  if (family === "AF_INET") return /^127\./.test(address) ? "loopback" : "leak: a network address";
  if (family === "AF_INET6") {
    if (/^\[(::1|::ffff:127\.[\d.]+)\]/.test(address)) return "loopback";
    if (entry.call === "connect" && /^UDP/.test(entry.protocol ?? "") && address === "[2001:4860:4860::8888]:443") return "route probe (UDP, no packet)";
    return "leak: a network address";
  }
  return `leak: socket family ${family}`;
}

/** Every destination in the log, grouped: `{ destinations: [{kind, family, address, processes, count}], leaks }`. */
export function summarize(log, allowed = []) {
  const groups = new Map();
  const lines = log.split("\n");
  // A call interrupted by another process's output is "<unfinished ...>" here and "<... connect resumed>) = R"
  // later on the same pid: give the first half its result.
  const pending = new Map();
  const results = new Map();
  lines.forEach((line, index) => {
    const pid = /^(\d+)/.exec(line)?.[1];
    if (!pid) return;
    if (/<unfinished \.\.\.>\s*$/.test(line)) pending.set(pid, index);
    else if (/<\.\.\. \w+ resumed>/.test(line) && pending.has(pid)) {
      results.set(pending.get(pid), /\)\s+=\s+(.*)$/.exec(line)?.[1] ?? "");
      pending.delete(pid);
    }
  });
  for (const [index, line] of lines.entries()) {
    const entry = parseLine(line);
    if (entry && results.has(index)) entry.result = results.get(index);
    if (!entry) continue;
    const kind = classify(entry, allowed);
    if (kind === "none") continue;
    // Group loopback by address without the ephemeral detail; IPC by path.
    const key = `${kind}|${entry.family}|${entry.address}`;
    const group = groups.get(key) ?? { kind, family: entry.family, address: entry.address, processes: new Set(), count: 0 };
    group.processes.add(entry.process);
    group.count++;
    groups.set(key, group);
  }
  const destinations = [...groups.values()].map((g) => ({ ...g, processes: [...g.processes].sort() })).sort((a, b) => a.kind.localeCompare(b.kind) || a.address.localeCompare(b.address));
  return { destinations, leaks: destinations.filter((d) => d.kind.startsWith("leak")) };
}
