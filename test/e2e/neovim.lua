-- Headless Neovim (0.7) as an LSP editor: starts `lockreview lsp --stdio` on the tree given in
-- LOCKREVIEW_TREE, opens the file in LOCKREVIEW_FILE, waits for the inversion, asks for its code
-- actions, and writes what it got as JSON to LOCKREVIEW_OUT. neovim.e2e.ts reads and checks it.
local tree = os.getenv('LOCKREVIEW_TREE')
local file = os.getenv('LOCKREVIEW_FILE')
local out = os.getenv('LOCKREVIEW_OUT')
local server = os.getenv('LOCKREVIEW_SERVER')

local client = vim.lsp.start_client({
  name = 'lockreview',
  cmd = { 'node', server, 'lsp', '--stdio' },
  root_dir = tree,
  workspace_folders = { { uri = vim.uri_from_fname(tree), name = 'tree' } },
})
vim.cmd('edit ' .. file)
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)

local result = { client = client ~= nil }
local found = vim.wait(60000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'lock-inversion' or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == 'lock-inversion') then return true end
  end
  return false
end, 100)

result.diagnostics = {}
local inversion
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, code = d.code or lsp.code, source = d.source,
    related = lsp.relatedInformation and #lsp.relatedInformation or 0 })
  -- Neovim keeps only some of the LSP fields: the diagnostic is made again for the request.
  if (d.code or lsp.code) == 'lock-inversion' then
    inversion = { range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      message = d.message, code = d.code or lsp.code, source = d.source, severity = d.severity }
  end
end

result.actions = {}
if found and inversion then
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, range = inversion.range, context = { diagnostics = { inversion } } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000) or {}
  for _, r in pairs(responses) do
    if r.err or r.error then result.error = vim.inspect(r.err or r.error) end
    for _, a in ipairs(r.result or {}) do table.insert(result.actions, { title = a.title, kind = a.kind, hasEdit = a.edit ~= nil }) end
  end
end

local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(client)
vim.cmd('qa!')
