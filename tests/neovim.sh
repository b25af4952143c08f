#!/usr/bin/env bash
# A real editor client, headless: Neovim's built-in LSP client attached to `artlint server`.
# It opens a bad post, reads the diagnostics back with vim.diagnostic.get (Neovim converts the
# server's UTF-16 columns to byte columns: the emoji before the finding check that), applies
# the "Fix: …" code action with Neovim's own workspace-edit code, and waits for the finding to
# go. Works with Neovim 0.7 (Debian's): vim.lsp.start_client + buf_attach_client.
#
# Usage: tests/neovim.sh [path/to/artlint]   (default: target/debug/artlint)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvim >/dev/null 2>&1; then
  echo "SKIP: nvim is not installed (apt-get install neovim); the Neovim client test did not run"
  exit 0
fi
bin=$(realpath "${1:-target/debug/artlint}")
if [ ! -x "$bin" ]; then
  echo "error: $bin is not built (cargo build)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/posts"
printf -- '---\ntitle: " Hello "\ndate: 2021-05-22\n---\n\n😀😀 text <img src="">\n' >"$work/posts/a.md"

cat >"$work/check.lua" <<'LUA'
local bin, root, out = os.getenv("ARTLINT_BIN"), os.getenv("WORK"), os.getenv("WORK") .. "/result.txt"
local lines = {}
local function say(line) table.insert(lines, line) end
local function finish()
  local f = assert(io.open(out, "w"))
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  vim.cmd("qall!")
end

local client_id = vim.lsp.start_client({ name = "artlint", cmd = { bin, "server" }, root_dir = root })
if not client_id then say("error: the client did not start"); finish() end
vim.cmd("edit " .. root .. "/posts/a.md")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

if not vim.wait(15000, function() return #vim.diagnostic.get(buf) >= 2 end, 50) then
  say("error: no diagnostics within 15 s")
  finish()
end
local diagnostics = vim.diagnostic.get(buf)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum end)
for _, d in ipairs(diagnostics) do
  say(string.format("diagnostic %s %d:%d", d.code, d.lnum, d.col))
end

-- The fix of the first finding (FM010), applied by Neovim itself. The cursor is on the
-- finding (line 2 is ASCII: byte columns are UTF-16 columns).
local first = diagnostics[1]
local cursor = { line = first.lnum, character = first.col + 1 }
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = cursor, ["end"] = cursor },
  context = { diagnostics = {} },
}
local answers = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
local applied = false
for _, answer in pairs(answers) do
  for _, action in ipairs(answer.result or {}) do
    if action.title == "Fix: Trim the value" then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
      applied = true
    end
  end
end
say("fix applied: " .. tostring(applied))
vim.wait(15000, function() return #vim.diagnostic.get(buf) == 1 end, 50)
say("line 2: " .. vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1])
for _, d in ipairs(vim.diagnostic.get(buf)) do
  say(string.format("after fix %s %d:%d", d.code, d.lnum, d.col))
end
finish()
LUA

ARTLINT_BIN="$bin" WORK="$work" timeout 60 nvim --headless -u NONE -i NONE -n \
  -c "luafile $work/check.lua" >/dev/null 2>&1 || true

expected='diagnostic FM010 1:7
diagnostic IMG001 5:24
fix applied: true
line 2: title: "Hello"
after fix IMG001 5:24'
actual=$(cat "$work/result.txt" 2>/dev/null || echo "(no result: Neovim did not finish)")
if [ "$actual" != "$expected" ]; then
  echo "Neovim client test FAILED"
  echo "expected:"
  echo "$expected"
  echo "actual:"
  echo "$actual"
  exit 1
fi
echo "Neovim $(nvim --version | head -1 | cut -d' ' -f2) client test passed: diagnostics at the right byte columns, fix applied"
