import { defineErrors } from '../error-definition.js';

/** Errors of channel releases: resolution, closure, publishing, environment checks. */
export const releaseErrors = defineErrors({
  CHANNEL_RELEASE_NOT_FOUND: {
    status: 404,
    message: 'No release named {name}',
    description: 'The release does not exist (or is a draft, which the web does not show); `bulwark channel release list` shows the releases.',
  },
  CHANNEL_RELEASE_EXISTS: {
    status: 409,
    message: 'A release named {name} already exists',
    description: 'Release names are permanent; choose a new name (e.g. bump the .postN suffix).',
  },
  CHANNEL_RELEASE_PUBLISHED: {
    status: 409,
    message: 'Release {name} is published and cannot change',
    description: 'A published release is immutable; create a new release (with --from to keep its pins) instead.',
  },
  CHANNEL_RELEASE_CONFLICT: {
    status: 409,
    message: 'Cannot resolve the release for {target}: {detail}',
    description:
      'No set of approved files satisfies every requirement for that target; the message names the package, the requirements that clash and the approved versions. Approve a suitable version or change the top-level requirements.',
  },
  CHANNEL_RELEASE_NOT_CLOSED: {
    status: 409,
    message: 'Release {name} is not closed: {detail}',
    description:
      'Some requirement of a pinned file is not satisfied inside the release for some target (a hole); `bulwark channel release check` lists them. Approve the missing files and create a new release.',
  },
  CHANNEL_RELEASE_INVALID: {
    status: 400,
    message: 'Invalid release: {detail}',
    description: 'The release name, targets or top-level requirements cannot be used; the message says which and why.',
  },
  CHANNEL_VERIFY_ENV_FAILED: {
    status: 500,
    message: 'Cannot inspect the environment of {python}: {reason}',
    description: 'verify-env could not run the given Python to find its site-packages; check the path and that it is a working interpreter.',
  },
});
