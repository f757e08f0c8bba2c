# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module that may return a token shown once, and hides that result from the output.

Ansible masks values of ``no_log`` options, but a token that a module creates is
not an option, so it would be printed by ``-v`` and the callbacks.  Marking the
result ``_ansible_no_log`` (which only an action plugin may do) makes every
callback print "the output has been hidden", while ``register`` still receives
the token.  Results without a token are shown as usual.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash


class ActionModule(ActionBase):

    _supports_check_mode = True
    # An async job's result would reach the output through async_status, unhidden.
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=False))
        if result.get("token"):
            result["_ansible_no_log"] = True
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
