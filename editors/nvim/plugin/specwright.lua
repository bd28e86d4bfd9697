-- Registered whenever the plugin is on the runtimepath; the server itself starts through
-- `vim.lsp.enable('specwright')` or `require('specwright').setup()`.
if vim.g.loaded_specwright then
  return
end
vim.g.loaded_specwright = true

vim.api.nvim_create_user_command('Specwright', function(opts)
  require('specwright').command(opts)
end, {
  nargs = '+',
  desc = 'Specwright: questions | explain [RULE] | rules',
  complete = function(arglead, cmdline)
    if #vim.split(cmdline, '%s+', { trimempty = true }) > 2 then
      return {}
    end
    return vim.tbl_filter(function(name)
      return vim.startswith(name, arglead)
    end, require('specwright').available())
  end,
})

vim.api.nvim_create_autocmd('LspProgress', {
  group = vim.api.nvim_create_augroup('specwright.progress', {}),
  callback = function(ev)
    require('specwright').on_progress(ev)
  end,
})
