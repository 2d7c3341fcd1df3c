"""Patroni's own reading of config files, for test/unit/patroni-oracle.test.ts: the effective configuration as
patroni.config.Config builds it (the file, the PATRONI_* variables over it), the DCS section get_dcs would take, and
the etcd endpoints get_etcd_client and _get_machines_cache_from_config make of it. Nothing connects: the etcd client
class is replaced by one that only keeps its configuration. One JSON line per path; a path that does not exist
means no file, as for Patroni (PATRONI_CONFIGURATION, else the variables alone)."""
import json
import logging
import sys

logging.disable(logging.CRITICAL)

from patroni.version import __version__  # noqa: E402
from patroni.config import Config  # noqa: E402
from patroni.dcs import etcd  # noqa: E402

ORDER = ('consul', 'etcd', 'etcd3', 'exhibitor', 'kubernetes', 'raft', 'zookeeper')


class Kept:
    machines = ['kept']
    _get_machines_cache_from_dns = etcd.AbstractEtcdClientWithFailover._get_machines_cache_from_dns
    _get_machines_cache_from_config = etcd.AbstractEtcdClientWithFailover._get_machines_cache_from_config

    def __init__(self, config, dns_resolver):
        self._config = config
        self.protocol = config.get('protocol') or 'http'
        self._dns_resolver = dns_resolver


def text(value):
    return None if value is None else str(value)


def read(path):
    config = Config(path, validator=None).copy()
    name = next((n for n in ORDER if n in config), None)
    out = {'version': __version__, 'dcs': name, 'scope': text(config.get('scope'))}
    if name in ('etcd', 'etcd3'):
        section = dict(config[name] or {}, retry_timeout=10)
        client = etcd.AbstractEtcd.get_etcd_client(None, section, Kept)
        out['endpoints'] = client._get_machines_cache_from_config()
        out['username'] = text(client._config.get('username'))
        out['password'] = text(client._config.get('password'))
    out['restAuth'] = config.get('ctl', {}).get('auth') or config.get('restapi', {}).get('auth')
    out['superuserPassword'] = text(config['postgresql'].get('authentication', {}).get('superuser', {}).get('password'))
    return out


for argument in sys.argv[1:]:
    print(json.dumps(read(argument)))
