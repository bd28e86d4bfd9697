-- Configuration for Neovim 0.11's built-in client: `vim.lsp.enable('specwright')` picks it up.
-- The server answers for Markdown and, among TOML files, only for `specwright.toml`, so
-- configuration errors show in the editor too.
return {
  cmd = { vim.g.specwright_server or 'specwright', 'lsp' },
  filetypes = { 'markdown', 'toml' },
  root_markers = { 'specwright.toml', '.git' },
  -- Same keys as specwright.toml; they fill only what the nearest specwright.toml leaves unset.
  settings = { specwright = { trusted = false } },
  -- Untrusted until the user says otherwise (`:Specwright dispatch` asks): the server refuses
  -- to run what the repository defines in an untrusted workspace.
  init_options = { trusted = false },
}
