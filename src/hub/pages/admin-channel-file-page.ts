import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import type { Identity } from '../auth/identify.js';
import type { ChannelAdminPort, ChannelFileReview } from '../channel-admin-port.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { channelReviewer } from './admin-channel-access.js';
import { renderChannelReport, waivableNames } from './admin-channel-report.js';
import { page } from './layout.js';

type FileParams = { Params: { filename: string } };
type Form = Record<string, string | undefined>;
type Message = { notice?: string; error?: string };

/** Reasons and waiver lists are audited text, not documents. */
const MAX_FIELD = 1000;

const NOTICES: Record<string, string> = {
  approved: 'Approved: the file is now in the index.',
  unchanged: 'The file was already approved.',
  rejected: 'Rejected: the file is out of the index.',
};

function field(body: Form | undefined, name: string): string {
  const value = (body?.[name] ?? '').trim();
  if (value.length > MAX_FIELD) throw new BulwarkError('HTTP_BAD_REQUEST', { detail: `${name} is longer than ${MAX_FIELD} characters` });
  return value;
}

function fileUrl(deps: HubDeps, filename: string, action = ''): string {
  return deps.paths.hubUrl(`admin/channel/files/${encodeURIComponent(filename)}${action}`);
}

function renderFilePage(deps: HubDeps, identity: Identity, xsrf: string, review: ChannelFileReview, message: Message): string {
  const { file, report } = review;
  const waivable = waivableNames(report);
  const canApprove = file.state !== 'approved';
  const canReject = !(file.state === 'rejected' && file.stateManual);
  const approveForm = html`<form method="post" action="${fileUrl(deps, file.filename, '/approve')}" id="approve-form">
      <input type="hidden" name="_xsrf" value="${xsrf}">
      <label for="approve-reason">Reason (audited; required when waiving)</label>
      <input type="text" id="approve-reason" name="reason" maxlength="${String(MAX_FIELD)}">
      ${waivable.length > 0
        ? html`<label for="approve-waive">Waive (advisory ids or finding codes, comma-separated)</label>
          <input type="text" id="approve-waive" name="waive" maxlength="${String(MAX_FIELD)}" placeholder="${waivable.join(', ')}">
          <p class="muted" id="waivable">Blocking findings can be waived as: ${waivable.join(', ')}</p>
          <label for="approve-expires">Waivers end after (12h, 30d, 2w or an ISO date)</label>
          <input type="text" id="approve-expires" name="expires" value="30d" maxlength="40">`
        : ''}
      <button type="submit" id="approve-submit">Approve</button>
    </form>`;
  const rejectForm = html`<form method="post" action="${fileUrl(deps, file.filename, '/reject')}" id="reject-form">
      <input type="hidden" name="_xsrf" value="${xsrf}">
      <label for="reject-reason">Reason (required, audited)</label>
      <textarea id="reject-reason" name="reason" rows="2" required maxlength="${String(MAX_FIELD)}"></textarea>
      <button type="submit" class="danger" id="reject-submit">Reject</button>
    </form>`;
  const body = html`<section class="card wide" id="channel-file" data-filename="${file.filename}" data-state="${file.state}">
    <p><a href="${deps.paths.hubUrl('admin/channel')}" id="back-to-channel">&larr; Channel status</a></p>
    <h1>${file.filename}</h1>
    ${message.notice ? html`<p class="notice" id="review-notice" role="status">${message.notice}</p>` : ''}
    ${message.error ? html`<p class="error" id="review-error" role="alert">${message.error}</p>` : ''}
    <table id="file-facts"><tbody>
      <tr><th>Project</th><td>${file.project}</td></tr>
      <tr><th>Version</th><td>${file.version}</td></tr>
      <tr><th>State</th><td id="file-state">${file.state}</td></tr>
      <tr><th>Why</th><td id="file-reason">${file.stateReason ?? ''}</td></tr>
      <tr><th>Changed</th><td>${file.stateChangedAt ?? ''}${file.stateChangedBy ? ` by ${file.stateChangedBy}` : ''}</td></tr>
      <tr><th>Uploaded</th><td>${file.uploadedAt}${file.uploadedBy ? ` by ${file.uploadedBy}` : ''}</td></tr>
    </tbody></table>
    <h2>Vetting report</h2>
    ${renderChannelReport(report)}
    ${canApprove ? html`<h2>Approve</h2>${approveForm}` : ''}
    ${canReject ? html`<h2>Reject</h2>${rejectForm}` : ''}
  </section>`;
  return page({ title: `Channel: ${file.filename}`, paths: deps.paths, user: identity.user, body, channelNav: true });
}

async function reviewOf(channel: ChannelAdminPort, filename: string): Promise<ChannelFileReview> {
  const review = await channel.file(filename);
  if (!review) throw new BulwarkError('HTTP_NOT_FOUND');
  return review;
}

/**
 * Runs a decision; a refusal the approver can fix (missing reason, bad waiver) shows the file
 * page again with the message and the error's status, so the report stays in view.
 */
async function decide(
  request: FastifyRequest<FileParams & { Body: Form }>,
  reply: FastifyReply,
  deps: HubDeps,
  channel: ChannelAdminPort,
  act: (identity: Identity) => Promise<{ done: string } | { error: string; status: number }>,
): Promise<FastifyReply> {
  const identity = await channelReviewer(request, reply, deps);
  if (!identity) return reply;
  checkXsrf(request, deps);
  const filename = request.params.filename;
  let outcome: { done: string } | { error: string; status: number };
  try {
    outcome = await act(identity);
  } catch (error) {
    const fixable = ['CHANNEL_REVIEW_REASON_REQUIRED', 'CHANNEL_WAIVER_INVALID', 'HTTP_BAD_REQUEST'];
    if (!isBulwarkError(error) || !fixable.includes(error.code)) throw error;
    outcome = { error: error.message, status: error.status };
  }
  if ('done' in outcome) return reply.redirect(`${fileUrl(deps, filename)}?done=${outcome.done}`, 303);
  const review = await reviewOf(channel, filename);
  return reply.code(outcome.status).type('text/html').send(renderFilePage(deps, identity, xsrfToken(request, reply, deps), review, { error: outcome.error }));
}

/**
 * `/hub/admin/channel/files/<filename>`: one file with its vetting report in view, and the
 * Approve / Reject forms (POST with the hub's XSRF token). Decisions go through the channel's
 * own review code with the hub user as the audited actor.
 */
export function registerAdminChannelFilePage(app: FastifyInstance, deps: HubDeps, channel: ChannelAdminPort): void {
  app.get<FileParams & { Querystring: { done?: string } }>(deps.paths.hubUrl('admin/channel/files/:filename'), async (request, reply) => {
    const identity = await channelReviewer(request, reply, deps);
    if (!identity) return reply;
    const review = await reviewOf(channel, request.params.filename);
    const notice = NOTICES[request.query.done ?? ''];
    return reply.type('text/html').send(renderFilePage(deps, identity, xsrfToken(request, reply, deps), review, notice ? { notice } : {}));
  });

  app.post<FileParams & { Body: Form }>(deps.paths.hubUrl('admin/channel/files/:filename/approve'), async (request, reply) =>
    decide(request, reply, deps, channel, async (identity) => {
      const waive = field(request.body, 'waive').split(',').map((w) => w.trim()).filter((w) => w !== '');
      const result = await channel.approve(
        request.params.filename,
        { reason: field(request.body, 'reason') || null, waive, expires: field(request.body, 'expires') || '30d' },
        { name: identity.user.name, ip: clientIp(request) },
      );
      if (result.outcome !== 'refused') return { done: result.outcome };
      return { error: `Not approved: vetting still rejects this file (${result.blocking.join(', ')}). Waive the findings with a reason, or reject the file.`, status: 409 };
    }),
  );

  app.post<FileParams & { Body: Form }>(deps.paths.hubUrl('admin/channel/files/:filename/reject'), async (request, reply) =>
    decide(request, reply, deps, channel, async (identity) => {
      await channel.reject(request.params.filename, field(request.body, 'reason'), { name: identity.user.name, ip: clientIp(request) });
      return { done: 'rejected' };
    }),
  );
}
