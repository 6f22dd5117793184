#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy between the sync worker and the receiver (SyncTests).

    fault-proxy.py UPSTREAM_PORT

Listens on two free ports of 127.0.0.1 and prints "listening on DATA CONTROL" once ready.
Requests to DATA are forwarded to 127.0.0.1:UPSTREAM_PORT, each on a fresh upstream
connection, unless the next planned fault says otherwise. The client's connection is kept
alive between requests, as async-http-client pools it.

Control (plain HTTP on CONTROL):
  POST /plan      body: a JSON list of faults, appended to the plan; one is used per request
  POST /upstream  body: a port number; later requests go there (a restarted receiver)
  POST /down      close the data port and reset open connections: new ones are refused
                  ("the network is gone")
  POST /up        open it again on the same port
  GET  /stats     {"requests": n, "forwarded": n, "faults": {name: n}}

Faults (a request with no fault left is forwarded):
  "pass"                    forward
  "drop-request"            close the connection after the request head, before the body
  "reset-mid-body"          read half the body, then reset the connection (RST)
  "drop-response"           forward, then close without answering (the receiver has it)
  "delay-response:S"        forward, then wait S seconds before answering
  "status:CODE[:RETRY]"     answer CODE (problem+json) without forwarding; RETRY sets Retry-After

Standard library only; nothing here reads or prints a body.
"""
import asyncio
import json
import os
import signal
import socket
import struct
import sys

plan = []
stats = {"requests": 0, "forwarded": 0, "faults": {}}
state = {"upstream": 0, "server": None, "port": 0}
connections = set()


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return head, lines[0], headers


async def read_response(reader):
    head, _, headers = await read_head(reader)
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return head + body


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def problem(code, retry_after):
    body = json.dumps({"type": "https://madoguchi.example/problems/injected", "title": "injected by the fault proxy",
                       "status": code}).encode()
    head = f"HTTP/1.1 {code} Injected\r\nContent-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
    if retry_after is not None:
        head += f"Retry-After: {retry_after}\r\n"
    return (head + "\r\n").encode() + body


async def forward(head, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", state["upstream"])
    try:
        # Ask the receiver to close after answering, so one request is one connection upstream.
        lines = head.decode("latin-1").split("\r\n")
        kept = [line for line in lines[1:] if line and not line.lower().startswith("connection:")]
        request = "\r\n".join([lines[0]] + kept + ["Connection: close", "", ""]).encode("latin-1")
        writer.write(request + body)
        await writer.drain()
        response = await read_response(reader)
        stats["forwarded"] += 1
        return response
    finally:
        writer.close()


async def client(reader, writer):
    connections.add(writer)
    try:
        while True:
            try:
                head, _, headers = await read_head(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            stats["requests"] += 1
            fault = plan.pop(0) if plan else "pass"
            name = fault.split(":")[0]
            stats["faults"][name] = stats["faults"].get(name, 0) + 1
            length = int(headers.get("content-length", "0"))
            if name == "drop-request":
                writer.close()
                return
            if name == "reset-mid-body":
                await reader.readexactly(length // 2)
                reset(writer)
                return
            body = await reader.readexactly(length) if length else b""
            if name == "status":
                parts = fault.split(":")
                writer.write(problem(int(parts[1]), parts[2] if len(parts) > 2 else None))
                await writer.drain()
                continue
            try:
                response = await forward(head, body)
            except (OSError, asyncio.IncompleteReadError):
                # The receiver is down: the kiosk sees a reset, as it would without a proxy.
                reset(writer)
                return
            if name == "drop-response":
                writer.close()
                return
            if name == "delay-response":
                await asyncio.sleep(float(fault.split(":")[1]))
            writer.write(response)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        connections.discard(writer)
        if not writer.is_closing():
            writer.close()


async def open_data(port):
    server = await asyncio.start_server(client, "127.0.0.1", port, reuse_address=True)
    state["server"] = server
    state["port"] = server.sockets[0].getsockname()[1]


async def control(reader, writer):
    try:
        head, request_line, headers = await read_head(reader)
        length = int(headers.get("content-length", "0"))
        body = await reader.readexactly(length) if length else b""
        method, path = request_line.split(" ")[:2]
        answer = {"ok": True}
        if method == "POST" and path == "/plan":
            plan.extend(json.loads(body or b"[]"))
        elif method == "POST" and path == "/upstream":
            state["upstream"] = int(body)
        elif method == "POST" and path == "/down":
            if state["server"] is not None:
                state["server"].close()
                state["server"] = None
            # Open connections break too, as when a cable is pulled.
            for open_writer in list(connections):
                reset(open_writer)
        elif method == "POST" and path == "/up":
            if state["server"] is None:
                await open_data(state["port"])
        elif method == "GET" and path == "/stats":
            answer = stats
        else:
            answer = {"ok": False}
        data = json.dumps(answer).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        await writer.drain()
    finally:
        writer.close()


async def orphan_watch(parent):
    # Exit with the test that started us, even when it was killed.
    while os.getppid() == parent:
        await asyncio.sleep(0.5)
    os._exit(0)


async def main():
    # A test runner may start us from a thread that blocks SIGTERM; take it back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    asyncio.get_running_loop().create_task(orphan_watch(os.getppid()))
    state["upstream"] = int(sys.argv[1])
    await open_data(0)
    control_server = await asyncio.start_server(control, "127.0.0.1", 0)
    print(f"listening on {state['port']} {control_server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
