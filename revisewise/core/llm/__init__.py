"""The optional LLM layer: one client, versioned prompts, budgets, sanitising (docs/llm.md).

Import from the modules: `client` (llm_complete, llm_stream, llm_is_configured), `schemas`,
`sanitise`, `prompts`. This file stays empty of imports so loading settings never loads httpx.
"""
