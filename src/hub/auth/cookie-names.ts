/**
 * JupyterHub's cookie names. Other hub tooling and the single-user servers know these names:
 * servers read `jupyterhub-session-id`; the login cookie's value format is Bulwark's own.
 */
export const HUB_LOGIN_COOKIE = 'jupyterhub-hub-login';
export const SESSION_ID_COOKIE = 'jupyterhub-session-id';
export const XSRF_COOKIE = '_xsrf';

/** Hub credentials that must never be forwarded to a user's server. */
export const hubOnlyCookies: readonly string[] = [HUB_LOGIN_COOKIE];

/** Bulwark's short-lived cookie between a correct password and a required 2FA enrolment (path /hub/2fa). */
export const ENROL_COOKIE = 'bulwark-2fa-enrol';
