/**
 * Docker labels the lab writes on its containers and the model reads to tell which container is which. They
 * live here, in the pure model, so the lab and the model share one spelling without the model loading the lab.
 */

/** The lab's scope: every container of one lab carries it. */
export const LABEL_LAB = 'io.patroni-tui.lab';
/** What the container runs; its values are the LabComponent names. */
export const LABEL_COMPONENT = 'io.patroni-tui.component';
/** The Patroni member a member container runs. */
export const LABEL_MEMBER = 'io.patroni-tui.member';
/** A digest of what the lab created the container from; only the lab reads it, to replace an outdated one. */
export const LABEL_SPEC = 'io.patroni-tui.spec';
/**
 * The state directory whose lab made the container (absolute): `lab down` and `destroy` remove only containers
 * whose labels name both their scope and their directory. Only the lab reads it.
 */
export const LABEL_STATE_DIR = 'io.patroni-tui.state-dir';
/**
 * Where the cluster reaches what the container runs, as the lab wrote it at creation: a member's REST URL as
 * Patroni advertises it (its member key's api_url), its PostgreSQL host:port, and for etcd or HAProxy the
 * endpoints the monitor is given for them (comma-separated). Two labs may share a scope; these tell them apart.
 * A container made before these labels existed has none.
 */
export const LABEL_REST_API = 'io.patroni-tui.rest-api';
export const LABEL_POSTGRES = 'io.patroni-tui.postgres';
export const LABEL_ENDPOINT = 'io.patroni-tui.endpoint';
/** Docker Compose's own: the service a container was started for, often the member's name. */
export const LABEL_COMPOSE_SERVICE = 'com.docker.compose.service';

export type LabComponent = 'etcd' | 'haproxy' | 'member';
