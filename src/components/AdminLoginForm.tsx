/**
 * The admin login asked for once when an action needs more rights: a URL,
 * or a role name and its password. The password is never shown: not in
 * its own field, nor inside a URL typed into the first.
 */
import React from 'react';
import { Form } from './Form.js';
import type { AdminLogin } from '../core/setup/admin-login.js';
import { maskTypedUrl } from '../core/redact/text.js';

export function AdminLoginForm({ purpose, onSubmit, onCancel }: { purpose: string; onSubmit: (login: AdminLogin) => void; onCancel: () => void }) {
  return (
    <Form
      title={`To ${purpose}, connector-db needs an admin login`}
      note="a URL (postgresql://postgres:…@host/postgres) or a role name; the password is not shown as you type"
      fields={[
        // A pasted or typed URL shows its password as **** from the first character on.
        { id: 'who', label: 'URL or role', initial: 'postgres', mask: maskTypedUrl },
        { id: 'password', label: 'password', secret: true, placeholder: '(empty: none, or ~/.pgpass)' },
      ]}
      validate={(v) => ((v.who ?? '').trim() === '' ? 'a URL or a role name is needed' : undefined)}
      onCancel={onCancel}
      onSubmit={(v) => {
        const who = (v.who ?? '').trim();
        if (/^postgres(ql)?(\+\w+)?:\/\//.test(who)) onSubmit({ url: who });
        else onSubmit({ user: who, ...(v.password ? { password: v.password } : {}) });
      }}
    />
  );
}
