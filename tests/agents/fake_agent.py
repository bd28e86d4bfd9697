#!/usr/bin/env python3
"""A fake coding agent for Specwright's tests: a real process that speaks the real formats.

    fake_agent.py --format claude|codex|gemini|command|acp [PROMPT_FILE]

It reads the prompt (stdin, the file, or ACP's session/prompt), finds the task id and its
first boundary folder, and does what the task title asks for:

    (default)   writes <folder>/<task>.txt and commits it
    uncommitted writes the file and leaves it uncommitted
    outside     also writes docs/outside-<task>.txt (outside any src/ boundary)
    stray       also appends to $FAKE_AGENT_STRAY (a file outside the worktree); exits 4
                when that write is refused
    forbidden   adds `diesel = "2"` to Cargo.toml (an ADR forbids it)
    crash       prints half its stream, then exits 3
    hang        starts a child that sleeps, and sleeps itself (until killed)
    malformed   prints lines that are not JSON, then a proper result
    failing     reports failure in its result
    conflict    writes shared.txt with its own text (two such tasks conflict on merge)

FAKE_AGENT_LOG, when set, gets "start <task> <time>" and "end <task> <time>" lines;
"<log>.pids" gets the pids of processes it starts. FAKE_AGENT_DELAY (seconds) is how long
it works.
"""

import json
import os
import re
import subprocess
import sys
import time


def log(line):
    path = os.environ.get("FAKE_AGENT_LOG")
    if path:
        with open(path, "a") as f:
            f.write(f"{line} {time.time():.3f}\n")


def note_pid(pid):
    path = os.environ.get("FAKE_AGENT_LOG")
    if path:
        with open(path + ".pids", "a") as f:
            f.write(f"{pid}\n")


def parse(prompt):
    m = re.search(r"^# Task (\S+): (.*)$", prompt, re.M)
    task, title = (m.group(1), m.group(2)) if m else ("T?", "")
    b = re.search(r"You may change only files matching: `([^`]+)`", prompt)
    folder = "src"
    if b:
        folder = b.group(1).split("*")[0].rstrip("/") or "src"
    return task, title.lower(), folder


def git(*args):
    env = dict(os.environ)
    env.setdefault("GIT_AUTHOR_NAME", "Fake Agent")
    env.setdefault("GIT_AUTHOR_EMAIL", "fake@agent")
    env.setdefault("GIT_COMMITTER_NAME", "Fake Agent")
    env.setdefault("GIT_COMMITTER_EMAIL", "fake@agent")
    # Under Specwright's sandbox the repository's .git is not writable: a commit fails, and
    # Specwright commits what the agent left. Real agents meet the same.
    subprocess.run(["git", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def work(task, title, folder, write):
    """Does the task's edits through `write(path, text)`; returns the paths written."""
    written = []
    path = os.path.join(folder, f"{task}.txt")
    write(path, f"work of {task}\n")
    written.append(path)
    if "outside" in title:
        p = os.path.join("docs", f"outside-{task}.txt")
        write(p, "not mine to write\n")
        written.append(p)
    if "stray" in title:
        # Writes into the user's checkout, outside the worktree (FAKE_AGENT_STRAY names the file).
        stray = os.environ["FAKE_AGENT_STRAY"]
        try:
            with open(stray, "a") as f:
                f.write(f"{task} was here\n")
        except OSError as e:
            print(f"cannot write {stray}: {e}", file=sys.stderr, flush=True)
            sys.exit(4)
    if "conflict" in title:
        write("shared.txt", f"{task} was here\n")
        written.append("shared.txt")
    if "forbidden" in title:
        text = open("Cargo.toml").read() if os.path.exists("Cargo.toml") else "[dependencies]\n"
        write("Cargo.toml", text + 'diesel = "2"\n')
        written.append("Cargo.toml")
    return written


def disk_write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def hang():
    child = subprocess.Popen(["sleep", "1000"])
    note_pid(child.pid)
    note_pid(os.getpid())
    time.sleep(1000)


def emit(obj):
    print(json.dumps(obj), flush=True)


def stream(fmt, task, title, folder):
    delay = float(os.environ.get("FAKE_AGENT_DELAY", "0.2"))
    if fmt == "claude":
        emit({"type": "system", "subtype": "init", "model": "fake-1", "session_id": "s"})
    elif fmt == "codex":
        emit({"type": "thread.started", "thread_id": "t"})
        emit({"type": "turn.started"})
    elif fmt == "gemini":
        emit({"type": "init", "session_id": "s", "model": "fake-1"})
    else:
        print(f"working on {task}", flush=True)
    if "malformed" in title:
        print("this is not json {", flush=True)
        print("{\"truncated\": ", flush=True)
    if "crash" in title:
        sys.exit(3)
    if "hang" in title:
        hang()
    time.sleep(delay)
    written = work(task, title, folder, disk_write)
    for p in written:
        if fmt == "claude":
            emit({"type": "assistant", "message": {"content": [
                {"type": "tool_use", "name": "Write", "input": {"file_path": p}}]}})
        elif fmt == "codex":
            emit({"type": "item.completed", "item": {"id": "i", "type": "file_change",
                  "changes": [{"path": p, "kind": "add"}], "status": "completed"}})
        elif fmt == "gemini":
            emit({"type": "tool_use", "tool_name": "write_file", "tool_id": "1",
                  "parameters": {"file_path": p}})
        else:
            print(f"wrote {p}", flush=True)
    if "uncommitted" not in title:
        git("add", "--all")
        git("commit", "--quiet", "-m", f"{task}: {title}")
    ok = "failing" not in title
    if fmt == "claude":
        emit({"type": "result", "subtype": "success" if ok else "error_during_execution",
              "is_error": not ok, "result": f"{task} done", "total_cost_usd": 0.01,
              "num_turns": 2, "usage": {"input_tokens": 100, "output_tokens": 20}})
    elif fmt == "codex":
        emit({"type": "item.completed", "item": {"id": "m", "type": "agent_message",
              "text": f"{task} done"}})
        if ok:
            emit({"type": "turn.completed", "usage": {"input_tokens": 100, "output_tokens": 20}})
        else:
            emit({"type": "turn.failed", "error": {"message": "could not finish"}})
    elif fmt == "gemini":
        emit({"type": "message", "role": "assistant", "content": f"{task} done", "delta": True})
        emit({"type": "result", "status": "success" if ok else "error", "stats": {"total_tokens": 5}})
    else:
        print(f"{task} done", flush=True)
        if not ok:
            sys.exit(1)


class Acp:
    """The agent side of ACP over stdio, newline-delimited JSON-RPC."""

    def __init__(self):
        self.next_id = 1000
        self.cancelled = False
        self.cwd = "."

    def send(self, obj):
        obj["jsonrpc"] = "2.0"
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def read(self):
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)
        return json.loads(line)

    def request(self, method, params):
        self.next_id += 1
        my = self.next_id
        self.send({"id": my, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == my and "method" not in msg:
                return msg
            self.handle(msg)

    def update(self, sid, update):
        self.send({"method": "session/update", "params": {"sessionId": sid, "update": update}})

    def handle(self, msg):
        method = msg.get("method")
        if method == "initialize":
            self.send({"id": msg["id"], "result": {"protocolVersion": 1,
                       "agentCapabilities": {}, "authMethods": []}})
        elif method == "session/new":
            self.cwd = msg["params"]["cwd"]
            self.send({"id": msg["id"], "result": {"sessionId": "s1"}})
        elif method == "session/cancel":
            self.cancelled = True
        elif method == "session/prompt":
            self.prompt(msg)
        elif "id" in msg and method:
            self.send({"id": msg["id"], "error": {"code": -32601, "message": "unknown"}})

    def prompt(self, msg):
        sid = msg["params"]["sessionId"]
        text = "".join(b.get("text", "") for b in msg["params"]["prompt"])
        task, title, folder = parse(text)
        log(f"start {task}")
        self.update(sid, {"sessionUpdate": "plan", "entries": [
            {"content": f"implement {task}", "priority": "high", "status": "pending"}]})
        if "crash" in title:
            sys.exit(3)
        if "hang" in title:
            hang()
        perm = self.request("session/request_permission", {"sessionId": sid, "toolCall": {
            "toolCallId": "t1", "title": "Write files"}, "options": [
            {"optionId": "yes", "name": "Allow", "kind": "allow_once"},
            {"optionId": "no", "name": "Reject", "kind": "reject_once"}]})
        outcome = perm.get("result", {}).get("outcome", {})
        if outcome.get("optionId") != "yes":
            self.send({"id": msg["id"], "result": {"stopReason": "refusal"}})
            return

        def write(path, content):
            full = os.path.join(self.cwd, path)
            self.update(sid, {"sessionUpdate": "tool_call", "toolCallId": path, "title": f"Write {path}",
                              "kind": "edit", "status": "pending", "locations": [{"path": full}]})
            reply = self.request("fs/write_text_file", {"sessionId": sid, "path": full, "content": content})
            if "error" in reply:
                raise RuntimeError(reply["error"])

        time.sleep(float(os.environ.get("FAKE_AGENT_DELAY", "0.2")))
        work(task, title, folder, write)
        # A write outside the worktree must be refused by the client.
        escape = self.request("fs/write_text_file", {"sessionId": sid,
                              "path": os.path.join(self.cwd, "..", f"escaped-{task}.txt"), "content": "x"})
        if "error" not in escape:
            self.update(sid, {"sessionUpdate": "agent_message_chunk",
                              "content": {"type": "text", "text": "ESCAPED THE WORKTREE"}})
        self.update(sid, {"sessionUpdate": "agent_message_chunk",
                          "content": {"type": "text", "text": f"{task} done"}})
        log(f"end {task}")
        self.send({"id": msg["id"], "result": {"stopReason": "cancelled" if self.cancelled else "end_turn"}})


def main():
    args = sys.argv[1:]
    fmt = "command"
    if len(args) >= 2 and args[0] == "--format":
        fmt, args = args[1], args[2:]
    if fmt == "acp":
        agent = Acp()
        while True:
            agent.handle(agent.read())
    # Real agents take flags around the prompt (`-p`, `exec --json -`): the prompt is the
    # first argument that names a file, else stdin.
    files = [a for a in args if not a.startswith("-") and os.path.isfile(a)]
    prompt = open(files[0]).read() if files else sys.stdin.read()
    task, title, folder = parse(prompt)
    log(f"start {task}")
    stream(fmt, task, title, folder)
    log(f"end {task}")


if __name__ == "__main__":
    main()
