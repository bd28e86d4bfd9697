#!/usr/bin/env python3
"""A scripted stand-in for the model APIs the real agent CLIs call, on 127.0.0.1 only.

    model_api.py [--port-file FILE] [--log FILE] [--stray PATH]

It speaks three wire formats, each with streaming:
  - Anthropic Messages  POST /v1/messages            (Claude Code, claude-code-acp)
  - OpenAI Responses    POST /v1/responses           (Codex)
  - Gemini              POST /v1beta/models/M:streamGenerateContent and :generateContent

Every conversation is scripted the same way. The first turn of the main agent (a request that
offers a file-writing tool and holds no tool result yet) answers with one call of that tool,
writing `<folder>/<task>.txt` where <task> and <folder> come from the Specwright prompt
("# Task T001: ..." and its first boundary glob). When the title holds the word "stray", the
call writes to --stray instead (a path outside the worktree); a prompt saying "Write the spec to
PATH.md" gets a spec with a vague word and a TBD written there; "Check PATH.md with Specwright"
calls the MCP tool named `…__check` on it. Every later turn, and every side
request the CLIs make (titles, summaries, token counts), answers with a short final text.

The port is written to --port-file once the server listens; each request is appended to --log
as one JSON line (path and body), so a test can say what the CLI sent.
"""

import argparse
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
COUNTER = [0]


def next_id(prefix):
    with LOCK:
        COUNTER[0] += 1
        return f"{prefix}_{COUNTER[0]}"


def task_of(text):
    """(task id, folder, title) from a Specwright prompt inside any request text."""
    m = re.search(r"# Task (\S+): ([^\n\\]*)", text)
    if not m:
        return None
    task, title = m.group(1), m.group(2)
    b = re.search(r"You may change only files matching: `([^`]+)`", text)
    folder = b.group(1).split("*")[0].rstrip("/") if b else "src"
    return task, folder or "src", title


SPEC_TEXT = "# Feature Specification: Search\n\n## Requirements\n\n- **FR-001**: Search MUST return results fast. TBD\n"


def target(text, cwd):
    """The absolute path the scripted write goes to, and its content."""
    spec = re.search(r"Write the spec to (\S+\.md)", text)
    if spec:
        return os.path.join(cwd or ".", spec.group(1)), SPEC_TEXT
    found = task_of(text)
    if not found:
        return None
    task, folder, title = found
    if "stray" in title.lower() and ARGS.stray:
        return ARGS.stray, f"stray write by {task}\n"
    base = cwd or "."
    return os.path.join(base, folder, f"{task}.txt"), f"written for {task}\n"


def cwd_of(text):
    for pattern in (
        r"<cwd>(/[^<]+)</cwd>",
        r"Working directory: (/[^\s\"\\]+)",
        r"\"cwd\": \"(/[^\"]+)\"",
    ):
        m = re.search(pattern, text, re.I)
        if m:
            return m.group(1).rstrip(".,")
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def body(self):
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def record(self, body):
        if ARGS.log:
            with LOCK, open(ARGS.log, "a") as f:
                f.write(json.dumps({"path": self.path, "body": body}) + "\n")

    def send_json(self, obj, status=200):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_sse(self, events):
        """events: (event name or None, data object) pairs."""
        chunks = []
        for name, data in events:
            line = f"event: {name}\n" if name else ""
            chunks.append(f"{line}data: {json.dumps(data)}\n\n")
        data = "".join(chunks).encode()
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.record(None)
        if self.path.startswith("/v1/models") or self.path.startswith("/models"):
            self.send_json({"data": [], "object": "list", "models": []})
        else:
            self.send_json({"error": {"message": "not scripted"}}, 404)

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.body()
        self.record(body)
        path = self.path.split("?")[0]
        if path.endswith("/messages/count_tokens"):
            self.send_json({"input_tokens": 10})
        elif path.endswith("/messages"):
            self.anthropic(body)
        elif path.endswith("/responses"):
            self.openai(body)
        elif ":countTokens" in path:
            self.send_json({"totalTokens": 10})
        elif ":streamGenerateContent" in path or ":generateContent" in path:
            self.gemini(body, stream=":streamGenerateContent" in path)
        else:
            self.send_json({"error": {"message": f"not scripted: {path}"}}, 404)

    # Anthropic Messages -------------------------------------------------------------------

    def anthropic(self, body):
        text = json.dumps(body)
        # Claude Code's own Write, or the one claude-code-acp serves over MCP (mcp__acp__Write).
        writer = next(
            (t.get("name") for t in body.get("tools") or [] if str(t.get("name", "")).endswith("Write")
             and not str(t.get("name", "")).startswith("Todo")),
            None,
        )
        answered = any(
            isinstance(c, dict) and c.get("type") == "tool_result"
            for m in body.get("messages") or []
            if isinstance(m.get("content"), list)
            for c in m["content"]
        )
        write = None
        checker = next(
            (t.get("name") for t in body.get("tools") or [] if str(t.get("name", "")).endswith("__check")),
            None,
        )
        asked = re.search(r"Check (\S+\.md) with Specwright", text)
        results = sum(
            1
            for m in body.get("messages") or []
            if isinstance(m.get("content"), list)
            for c in m["content"]
            if isinstance(c, dict) and c.get("type") == "tool_result"
        )
        # At most a tool search and a check: a refused call is not retried forever.
        if asked and "filesChecked" not in text and results < 2:
            if checker:
                return self.anthropic_tool(body, checker, {"paths": [asked.group(1)]})
            # Claude Code defers MCP tools: their schemas are loaded through ToolSearch first.
            deferred = re.search(r"(mcp__[A-Za-z0-9-]+__check)", text)
            names = {t.get("name") for t in body.get("tools") or []}
            if deferred and "ToolSearch" in names:
                return self.anthropic_tool(body, "ToolSearch", {"query": f"select:{deferred.group(1)}"})
        if writer and not answered:
            write = target(text, cwd_of(text))
        if write:
            path, content = write
            return self.anthropic_tool(body, writer, {"file_path": path, "content": content})
        return self.anthropic_reply(body, {"type": "text", "text": "Done: the file is written."})

    def anthropic_tool(self, body, name, tool_input):
        """One call of the tool `name` (an MCP tool, for instance)."""
        block = {"type": "tool_use", "id": next_id("toolu"), "name": name, "input": tool_input}
        return self.anthropic_reply(body, block)

    def anthropic_reply(self, body, block):
        """A message of one content block (text, or a tool call), streamed when asked."""
        stop = "tool_use" if block["type"] == "tool_use" else "end_turn"
        message = {
            "id": next_id("msg"),
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-scripted"),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 12, "output_tokens": 1},
        }
        if not body.get("stream"):
            message.update(content=[block], stop_reason=stop)
            return self.send_json(message)
        if block["type"] == "tool_use":
            start = dict(block, input={})
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            start = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        self.send_sse(
            [
                ("message_start", {"type": "message_start", "message": message}),
                ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": start}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
                ("content_block_stop", {"type": "content_block_stop", "index": 0}),
                (
                    "message_delta",
                    {
                        "type": "message_delta",
                        "delta": {"stop_reason": stop, "stop_sequence": None},
                        "usage": {"output_tokens": 9},
                    },
                ),
                ("message_stop", {"type": "message_stop"}),
            ]
        )

    # OpenAI Responses ---------------------------------------------------------------------

    def openai(self, body):
        text = json.dumps(body)
        tools = body.get("tools") or []
        names = {t.get("name") for t in tools}
        answered = any(
            isinstance(i, dict) and i.get("type") in ("function_call_output", "custom_tool_call_output")
            for i in body.get("input") or []
        )
        item = None
        write = None if answered else target(text, cwd_of(text))
        if write:
            path, content = write
            rel = path
            cwd = cwd_of(text)
            if cwd and path.startswith(cwd + "/"):
                rel = path[len(cwd) + 1 :]
            patch = f"*** Begin Patch\n*** Add File: {rel}\n+{content.rstrip()}\n*** End Patch\n"
            if "apply_patch" in names:
                tool = next(t for t in tools if t.get("name") == "apply_patch")
                if tool.get("type") == "custom":
                    item = {
                        "type": "custom_tool_call",
                        "id": next_id("ctc"),
                        "call_id": next_id("call"),
                        "name": "apply_patch",
                        "input": patch,
                        "status": "completed",
                    }
                else:
                    item = {
                        "type": "function_call",
                        "id": next_id("fc"),
                        "call_id": next_id("call"),
                        "name": "apply_patch",
                        "arguments": json.dumps({"input": patch}),
                        "status": "completed",
                    }
            else:
                shell = next((n for n in ("shell", "exec_command", "shell_command") if n in names), "shell")
                script = f"mkdir -p {os.path.dirname(path)} && printf '%s' {json.dumps(content)} > {path}"
                args = {"command": ["bash", "-lc", script]} if shell == "shell" else {"cmd": script}
                if shell == "shell_command":
                    args = {"command": script}
                item = {
                    "type": "function_call",
                    "id": next_id("fc"),
                    "call_id": next_id("call"),
                    "name": shell,
                    "arguments": json.dumps(args),
                    "status": "completed",
                }
        if item is None:
            item = {
                "type": "message",
                "id": next_id("msg"),
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "Done: the file is written.", "annotations": []}],
            }
        rid = next_id("resp")
        usage = {
            "input_tokens": 12,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 9,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 21,
        }
        response = {"id": rid, "object": "response", "status": "in_progress", "output": []}
        done = dict(response, status="completed", output=[item], usage=usage)
        self.send_sse(
            [
                ("response.created", {"type": "response.created", "response": response}),
                (
                    "response.output_item.added",
                    {"type": "response.output_item.added", "output_index": 0, "item": item},
                ),
                (
                    "response.output_item.done",
                    {"type": "response.output_item.done", "output_index": 0, "item": item},
                ),
                ("response.completed", {"type": "response.completed", "response": done}),
            ]
        )

    # Gemini -------------------------------------------------------------------------------

    def gemini(self, body, stream):
        text = json.dumps(body)
        decls = [
            d.get("name")
            for t in body.get("tools") or []
            for d in t.get("functionDeclarations") or t.get("function_declarations") or []
        ]
        answered = any(
            "functionResponse" in p or "function_response" in p
            for c in body.get("contents") or []
            for p in c.get("parts") or []
        )
        write = target(text, cwd_of(text)) if "write_file" in decls and not answered else None
        config = body.get("generationConfig") or {}
        schema = config.get("responseJsonSchema") or config.get("responseSchema")
        if write:
            path, content = write
            part = {"functionCall": {"name": "write_file", "args": {"file_path": path, "content": content}}}
        elif schema:
            # Side requests (model routing, summaries) ask for JSON of a schema.
            part = {"text": json.dumps(sample(schema))}
        else:
            part = {"text": "Done: the file is written."}
        chunk = {
            "candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 9, "totalTokenCount": 21},
            "modelVersion": "gemini-scripted",
        }
        if stream:
            self.send_sse([(None, chunk)])
        else:
            self.send_json(chunk)


def sample(schema):
    """A small value that fits a JSON schema (Gemini's upper-case type names too)."""
    kind = str(schema.get("type", "object")).lower()
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        props = schema.get("properties") or {}
        return {k: sample(v) for k, v in props.items()}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return 10
    if kind == "boolean":
        return False
    return "simple"


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--stray")
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, ARGS.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
