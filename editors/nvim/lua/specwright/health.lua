--- `:checkhealth specwright`
local M = {}

local function server_cmd()
  local config = vim.lsp.config.specwright or {}
  local cmd = config.cmd
  if type(cmd) == 'table' and cmd[1] then
    return cmd[1]
  end
  return vim.g.specwright_server or 'specwright'
end

function M.check()
  vim.health.start('specwright')
  local bin = server_cmd()
  if vim.fn.executable(bin) ~= 1 then
    vim.health.error('server binary not found: ' .. bin, {
      'Install it: cargo install --locked --path server/cli (from the Specwright repository)',
      "Or point the plugin at it: require('specwright').setup({ cmd = { '/path/to/specwright', 'lsp' } })",
    })
    return
  end
  local version = vim.system({ bin, '--version' }, { text = true }):wait()
  if version.code == 0 then
    vim.health.ok('server: ' .. vim.trim(version.stdout) .. ' (' .. vim.fn.exepath(bin) .. ')')
  else
    vim.health.error('`' .. bin .. ' --version` failed: ' .. vim.trim(version.stderr or ''))
  end

  local config = vim.fs.find('specwright.toml', { upward = true, path = vim.fn.getcwd() })[1]
  if not config then
    vim.health.info('no specwright.toml above ' .. vim.fn.getcwd() .. ': built-in defaults apply (`specwright init` writes one)')
  else
    local check = vim.system({ bin, 'check', config, '--format', 'json' }, { text = true }):wait()
    local ok, report = pcall(vim.json.decode, check.stdout or '')
    if not ok or type(report) ~= 'table' then
      vim.health.error('could not validate ' .. config .. ': ' .. vim.trim(check.stderr or ''))
    elseif #report.findings == 0 then
      vim.health.ok(config .. ' is valid')
    else
      local problems = {}
      for _, f in ipairs(report.findings) do
        table.insert(problems, string.format('line %d: %s', f.start.line, f.message))
      end
      vim.health.warn(config .. ' has problems', problems)
    end
  end

  local clients = vim.lsp.get_clients({ name = 'specwright' })
  if #clients == 0 then
    vim.health.info('no Specwright server is running (open a Markdown file to start one)')
  else
    local commands = (clients[1].server_capabilities.executeCommandProvider or {}).commands or {}
    vim.health.ok('server running; commands: ' .. table.concat(commands, ', '))
  end
  local agents = vim.system({ bin, 'agents', '--json' }, { text = true, cwd = vim.fn.getcwd() }):wait()
  local ok, list = pcall(vim.json.decode, agents.stdout or '')
  if agents.code ~= 0 or not ok or type(list) ~= 'table' then
    vim.health.warn('could not list the configured agents: ' .. vim.trim(agents.stderr or ''))
  elseif #list == 0 then
    vim.health.info('agents: none configured; add [agents.NAME] to specwright.toml to dispatch tasks')
  else
    for _, a in ipairs(list) do
      local line = string.format('agent %s (%s): %s', a.name, a.kind, a.program)
      if a.found ~= vim.NIL and a.found then
        vim.health.ok(line .. ' → ' .. a.found)
      else
        vim.health.warn(line .. ' is not installed or not on PATH')
      end
    end
  end
  vim.health.info('workspace trusted for dispatch: ' .. tostring(require('specwright').trusted()))
end

return M
