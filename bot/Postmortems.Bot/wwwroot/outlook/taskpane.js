// The Outlook task pane for a postmortem meeting: finds the postmortem the appointment belongs to and shows its
// summary, its timeline in time order and its open actions. Plain JavaScript, no framework, no build step.
//
// How the postmortem is found: invites the app sends carry a link to ".../tab/postmortems/<id>" (possibly
// URL-encoded inside a Teams deep link), so the id is read from the appointment's body; a custom property
// "postmortemId" on the item is used when there is no link. The data comes from the tab API,
// GET /api/postmortems/{id} (tabs/API.md), with an Office SSO token when Outlook can give one.
//
// Everything people typed is put on the page with textContent, never as HTML.
(function () {
  'use strict';

  var ID_IN_LINK = /(?:\/|%2F)tab(?:\/|%2F)postmortems(?:\/|%2F)([A-Za-z0-9._-]{1,100})/i;
  var SEVERITIES = { notSet: 'Severity not set', sev1: 'Severity 1', sev2: 'Severity 2', sev3: 'Severity 3', sev4: 'Severity 4' };
  var STATUSES = { open: 'Open', meetingScheduled: 'Meeting scheduled', reviewed: 'Reviewed', closed: 'Closed' };
  var ACTION_STATUSES = { open: 'Open', inProgress: 'In progress', done: 'Done', wontDo: "Won't do" };

  var app = document.getElementById('app');

  /** An element with text children (strings become text nodes, so no markup is ever parsed). */
  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === '') continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function show() {
    app.replaceChildren.apply(app, Array.prototype.slice.call(arguments));
  }

  function problem(text, retry) {
    var parts = [el('p', 'message problem', text)];
    if (retry) {
      var button = el('button', null, 'Try again');
      button.type = 'button';
      button.addEventListener('click', retry);
      parts.push(button);
    }
    show.apply(null, parts);
  }

  /** The postmortem id in an appointment body (HTML or text), or null. */
  function idFromBody(body) {
    var match = ID_IN_LINK.exec(body || '');
    return match ? match[1] : null;
  }

  function asPromise(start) {
    return new Promise(function (resolve, reject) {
      start(function (result) {
        if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(result.error || new Error('Office call failed'));
      });
    });
  }

  function readBody(item) {
    if (!item.body || typeof item.body.getAsync !== 'function') return Promise.resolve('');
    return asPromise(function (done) { item.body.getAsync(Office.CoercionType.Html, done); }).catch(function () { return ''; });
  }

  function readCustomId(item) {
    if (typeof item.loadCustomPropertiesAsync !== 'function') return Promise.resolve(null);
    return asPromise(function (done) { item.loadCustomPropertiesAsync(done); })
      .then(function (properties) { return properties.get('postmortemId') || null; })
      .catch(function () { return null; });
  }

  /** The Office SSO token for the app's API, or null (not offered by this Outlook, or local development). */
  function accessToken() {
    if (!Office.auth || typeof Office.auth.getAccessToken !== 'function') return Promise.resolve(null);
    return Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true }).catch(function () { return null; });
  }

  function formatInstant(value, timeZone) {
    var date = new Date(value);
    if (isNaN(date.getTime())) return value || '';
    // In the zone the entry was given in, named, as the chat cards show it.
    var options = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
    try {
      return date.toLocaleString(undefined, Object.assign({ timeZone: timeZone || undefined }, options));
    } catch (e) {
      // A Windows time zone id (the app accepts both) is not known to Intl: the reader's own zone then.
      return date.toLocaleString(undefined, options);
    }
  }

  function formatDate(value) {
    if (!value) return 'no due date';
    var date = new Date(value + 'T00:00:00Z');
    return isNaN(date.getTime()) ? value : date.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  }

  function timelineList(entries) {
    if (entries.length === 0) return el('p', 'empty', 'No timeline entries yet.');
    var sorted = entries.slice().sort(function (a, b) { return new Date(a.occurredAt) - new Date(b.occurredAt); });
    return el('ol', 'timeline', ...sorted.map(function (entry) {
      var time = el('time', null, formatInstant(entry.occurredAt, entry.timeZone));
      time.dateTime = entry.occurredAt || '';
      return el('li', null,
        time,
        el('p', null, entry.actor ? el('span', 'actor', entry.actor + ': ') : null, entry.description || ''),
        entry.outcome ? el('p', null, el('span', 'label', 'Outcome: '), entry.outcome) : null);
    }));
  }

  function actionList(actions) {
    var open = actions.filter(function (a) { return a.status === 'open' || a.status === 'inProgress'; });
    if (open.length === 0) return el('p', 'empty', 'No open actions.');
    open.sort(function (a, b) { return (a.dueDate || '9999').localeCompare(b.dueDate || '9999'); });
    return el('ul', 'actions', ...open.map(function (action) {
      var meta = [(action.owner && action.owner.name) || 'No owner yet', 'due ' + formatDate(action.dueDate), ACTION_STATUSES[action.status] || action.status];
      if (action.overdue) meta.push('overdue');
      return el('li', action.overdue ? 'overdue' : null, el('span', 'title', action.title || ''), el('span', 'meta', meta.join(' · ')));
    }));
  }

  function render(postmortem) {
    document.title = 'Postmortem: ' + (postmortem.title || '');
    var facts = [STATUSES[postmortem.status] || postmortem.status, SEVERITIES[postmortem.severity] || postmortem.severity]
      .concat(postmortem.facilitator && postmortem.facilitator.name ? ['facilitated by ' + postmortem.facilitator.name] : [])
      .filter(Boolean);
    show(
      el('h1', null, postmortem.title || 'Untitled postmortem'),
      el('p', 'facts', facts.join(' · ')),
      el('h2', null, 'Summary'),
      postmortem.summary ? el('p', 'summary', postmortem.summary) : el('p', 'empty', 'No summary yet.'),
      postmortem.customerImpact ? el('p', null, el('span', 'label', 'Customer impact: '), postmortem.customerImpact) : null,
      el('h2', null, 'Timeline'),
      timelineList(postmortem.timeline || []),
      el('h2', null, 'Open actions'),
      actionList(postmortem.actions || []));
  }

  function load(id) {
    show(el('p', 'message', 'Loading the postmortem…'));
    return accessToken()
      .then(function (token) {
        var headers = { Accept: 'application/json' };
        if (token) headers.Authorization = 'Bearer ' + token;
        return fetch('/api/postmortems/' + encodeURIComponent(id), { headers: headers, credentials: 'same-origin' });
      })
      .then(function (response) {
        if (response.ok) return response.json().then(render);
        if (response.status === 404) return problem('This meeting links to a postmortem that was not found. It may have been deleted.');
        if (response.status === 401 || response.status === 403) return problem('You need to be signed in to Blameless Postmortems to see this postmortem.');
        return problem('The postmortem could not be loaded right now. Nothing was changed.', function () { load(id); });
      })
      .catch(function () {
        problem('The postmortem could not be loaded right now. Nothing was changed.', function () { load(id); });
      });
  }

  function start() {
    var item = Office.context && Office.context.mailbox && Office.context.mailbox.item;
    if (!item) return problem('Open a postmortem meeting in your calendar to see its postmortem here.');
    return readBody(item)
      .then(function (body) { return idFromBody(body) || readCustomId(item); })
      .then(function (id) {
        if (!id) return problem('No postmortem is linked to this meeting. Postmortem meetings scheduled from Teams show theirs here.');
        return load(id);
      });
  }

  if (typeof Office === 'undefined') {
    problem('This page runs inside Outlook. Open a postmortem meeting and choose Open postmortem.');
    return;
  }
  Office.onReady(function () { start(); });
})();
