// The page to try async-ocr. It uses the public API only: POST /ocr/async, long polls of GET /ocr/result/{id},
// DELETE to cancel. Everything the service or the user supplies (texts, file names, messages) is inserted as
// text (textContent or attribute values), never as markup. Where the service wants a tenant's key (401), every
// call asks for one and sends it as Authorization: Bearer; the key stays in this tab's sessionStorage.

/** A long poll: the service answers as soon as the job is final, or with 202 after this many seconds. */
const WAIT_SECONDS = 20;
/** Shorter while a queue position or a document's progress moves, so that the page shows it moving. */
const PROGRESS_WAIT_SECONDS = 3;
/** Every format GET /ocr/result/{id}?format= writes (its 406 answer lists them). */
const FORMATS = [
  {name: 'json', label: 'JSON', extension: 'json'},
  {name: 'text', label: 'Text', extension: 'txt'},
  {name: 'hocr', label: 'hOCR', extension: 'hocr.html'},
  {name: 'alto', label: 'ALTO XML', extension: 'alto.xml'},
  {name: 'pdf', label: 'Searchable PDF', extension: 'pdf'},
];
const TIMING_ORDER = ['queue', 'decode', 'render', 'det', 'cls', 'rec', 'total'];
const RECENT_KEY = 'async-ocr.recent-jobs';
const RECENT_MAX = 8;
/** sessionStorage, not localStorage: the key goes with the tab and never outlives the session. */
const KEY_STORAGE = 'async-ocr.key';
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

/** The job on screen: {id, name, imageUrl, words, abort, pages, pageIndex, pageImages}. */
let current = null;
/** While the key dialog is open: the promise every call refused with 401 waits on, and its resolve. */
let keyPrompt = null;
let answerKeyPrompt = null;

document.addEventListener('DOMContentLoaded', () => {
  $('submit-form').addEventListener('submit', submit);
  $('file').addEventListener('change', () => showChosen($('file').files[0]));
  $('cancel').addEventListener('click', cancel);
  $('copy').addEventListener('click', copyAll);
  $('page-prev').addEventListener('click', () => showPage(current.pageIndex - 1));
  $('page-next').addEventListener('click', () => showPage(current.pageIndex + 1));
  $('lines').addEventListener('keydown', moveLineFocus);
  $('key-form').addEventListener('submit', giveKey);
  $('key-dialog').addEventListener('close', keyDialogClosed);
  $('key-cancel').addEventListener('click', () => $('key-dialog').close());
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer.files.length > 0) {
      $('file').files = event.dataTransfer.files;
      showChosen($('file').files[0]);
    }
  });
  renderRecent();
});

function showChosen(file) {
  $('drop-zone').querySelector('span').textContent = file ? 'Chosen: ' + file.name
    : 'Drop an image or a document here, or choose a file';
}

async function submit(event) {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) {
    return;
  }
  const query = new URLSearchParams();
  if (!$('opt-cls').checked) {
    query.set('cls', 'false');
  }
  for (const [field, parameter] of [['opt-det-size', 'det_size'], ['opt-pages', 'pages'], ['opt-dpi', 'dpi']]) {
    const value = $(field).value.trim();
    if (value) {
      query.set(parameter, value);
    }
  }
  const job = {id: null, name: file.name, words: $('opt-words').checked,
    imageUrl: previewable(file) ? URL.createObjectURL(file) : null};
  show(job);
  setStatus('uploading');
  const body = new FormData();
  body.append('image', file, file.name);
  $('submit').disabled = true;
  try {
    const response = await api('/ocr/async' + (query.toString() ? '?' + query : ''), {method: 'POST', body});
    const answer = await readBody(response);
    if (current !== job) {
      return;
    }
    if (response.status !== 202) {
      setStatus('refused');
      showError(response, answer);
      return;
    }
    job.id = answer.request_id;
    remember(job, answer.status);
    follow(job, showPending(answer) ? PROGRESS_WAIT_SECONDS : WAIT_SECONDS);
  } catch (e) {
    if (current === job) {
      setStatus('not sent');
      showProblem('NETWORK_ERROR', 'The service could not be reached: ' + e.message);
    }
  } finally {
    $('submit').disabled = false;
  }
}

/** Browsers show these; a PDF or TIFF page is shown as the service rendered it. */
function previewable(file) {
  return file.type.startsWith('image/') && !file.type.includes('tiff');
}

/** Makes the job the one on screen, forgetting the one before (its long poll and its image). */
function show(job) {
  if (current && current.abort) {
    current.abort.abort();
  }
  if (current) {
    forgetImages(current);
  }
  current = job;
  $('job').hidden = false;
  $('result').hidden = true;
  $('error').hidden = true;
  $('queue').hidden = true;
  $('progress-text').hidden = true;
  $('cancel').hidden = true;
  $('job-id').textContent = job.id ? 'Request ' + job.id + ' (' + job.name + ')' : job.name;
}

/** Long-polls the job until it is final, showing where it stands after each answer. */
async function follow(job, firstWait = WAIT_SECONDS) {
  if (current !== job) {
    show(job);
  }
  job.abort = new AbortController();
  $('job-id').textContent = 'Request ' + job.id + ' (' + job.name + ')';
  $('cancel').hidden = false;
  $('cancel').disabled = false;
  let wait = firstWait;
  while (current === job) {
    const asked = Date.now();
    let response;
    let body;
    try {
      response = await api(resultUrl(job, {wait}), {signal: job.abort.signal, headers: {Accept: 'application/json'}});
      body = await readBody(response);
    } catch (e) {
      if (!job.abort.signal.aborted) {
        $('cancel').hidden = true;
        showProblem('NETWORK_ERROR', 'The service stopped answering (' + e.message
          + '); choose the job under "Recent jobs" to follow it again.');
      }
      return;
    }
    if (current !== job) {
      return;
    }
    if (response.status !== 202) {
      finish(job, response, body);
      return;
    }
    wait = showPending(body || {}) ? PROGRESS_WAIT_SECONDS : WAIT_SECONDS;
    // a poll answered early (a short server-side wait) is not repeated before Retry-After
    await sleep(retryAfter(response) * 1000 - (Date.now() - asked), job.abort.signal);
  }
}

function resultUrl(job, parameters) {
  const query = new URLSearchParams(parameters);
  if (job.words) {
    query.set('words', 'true');
  }
  return '/ocr/result/' + encodeURIComponent(job.id) + '?' + query;
}

/** Shows a pending job's status; true when it carries a queue position or page progress, which move. */
function showPending(body) {
  setStatus(body.status);
  const queued = body.queue_position !== undefined && body.queue_position !== null;
  $('queue').hidden = !queued;
  if (queued) {
    let text = 'Position in the queue: ' + body.queue_position;
    if (body.estimated_start_at) {
      text += ', expected to start at ' + new Date(body.estimated_start_at).toLocaleTimeString();
    }
    $('queue').textContent = text;
  }
  return showProgress(body) || queued;
}

/** A document's bar of pages done, pending or final; false (and no bar) for an image. */
function showProgress(body) {
  const documentPages = body.pages_total > 1 && Boolean(body.progress);
  $('progress-text').hidden = !documentPages;
  if (documentPages) {
    const done = (body.progress.succeeded || 0) + (body.progress.failed || 0);
    $('progress').max = body.pages_total;
    $('progress').value = done;
    $('progress-count').textContent = done + ' of ' + body.pages_total
      + (body.progress.failed ? ' (' + body.progress.failed + ' failed)' : '');
  }
  return documentPages;
}

function finish(job, response, body) {
  $('cancel').hidden = true;
  $('queue').hidden = true;
  showProgress(body || {});
  if (response.ok) {
    setStatus(body.status);
    remember(job, body.status);
    showResult(job, body);
  } else if (response.status === 410) {
    cancelled(job);
  } else {
    setStatus('failed');
    remember(job, 'failed');
    showError(response, body);
  }
}

function cancelled(job) {
  setStatus('cancelled');
  remember(job, 'cancelled');
}

async function cancel() {
  const job = current;
  $('cancel').disabled = true;
  job.abort.abort(); // else the long poll may see the cancellation first, as a 410 error
  try {
    const response = await api('/ocr/result/' + encodeURIComponent(job.id), {method: 'DELETE'});
    const body = await readBody(response);
    if (current !== job) {
      return;
    }
    if (response.ok) {
      $('cancel').hidden = true;
      cancelled(job);
      return;
    }
    if (response.status !== 409) { // 409: it finished first, and the poll shows how
      showError(response, body);
    }
  } catch (e) {
    showProblem('NETWORK_ERROR', 'The cancellation could not be sent: ' + e.message);
  }
  if (current === job) {
    follow(job);
  }
}

function setStatus(status) {
  $('status').textContent = 'Status: ' + status;
}

/** An API error: its code and message, its HTTP status, and when to try again if the service said. */
function showError(response, body) {
  const error = body && body.error ? body.error : {code: 'HTTP_' + response.status,
    message: 'The service answered ' + response.status + ' without an explanation'};
  showProblem(error.code, error.message, response.status, retryAfter(response, null));
}

function showProblem(code, message, status, retrySeconds) {
  $('error').hidden = false;
  $('error-code').textContent = code;
  $('error-status').textContent = status ? '(HTTP ' + status + ')' : '';
  $('error-message').textContent = message;
  $('error-retry').hidden = retrySeconds === null || retrySeconds === undefined;
  $('error-retry').textContent = 'The service asks to try again in ' + retrySeconds + ' s.';
}

function retryAfter(response, fallback = 1) {
  const header = response.headers && response.headers.get('Retry-After');
  const seconds = Number.parseInt(header, 10);
  return Number.isNaN(seconds) ? fallback : seconds;
}

/**
 * fetch, with the tenant's key when this tab has one. A 401 asks for a key (again, when the one sent was refused
 * or has expired) and repeats the call with it; declined, the 401 is the answer.
 */
async function api(url, options = {}) {
  for (;;) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    const headers = new Headers(options.headers);
    if (key) {
      headers.set('Authorization', 'Bearer ' + key);
    }
    const response = await fetch(url, {...options, headers});
    if (response.status !== 401 || !await askForKey(key, await readBody(response.clone()))) {
      return response;
    }
  }
}

/** Opens the key dialog, once for all the calls refused meanwhile; true when a key was given. */
function askForKey(sentKey, refusal) {
  if (sessionStorage.getItem(KEY_STORAGE) !== sentKey) {
    return Promise.resolve(true); // another call has been given a key since this one was sent
  }
  $('key-reason').textContent = refusal && refusal.error
    ? refusal.error.message + ' (' + refusal.error.code + ')' : 'The service answered 401.';
  if (!keyPrompt) {
    keyPrompt = new Promise((resolve) => {
      answerKeyPrompt = resolve;
    });
    $('key').value = '';
    $('key-dialog').returnValue = '';
    $('key-dialog').showModal();
  }
  return keyPrompt;
}

function giveKey(event) {
  event.preventDefault();
  const key = $('key').value.trim();
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
    $('key-dialog').close('given');
  }
}

/** Given or declined (Cancel, Escape): the calls waiting on the dialog go on. */
function keyDialogClosed() {
  const resolve = answerKeyPrompt;
  keyPrompt = null;
  answerKeyPrompt = null;
  if (resolve) {
    resolve($('key-dialog').returnValue === 'given');
  }
}

async function readBody(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

function sleep(millis, signal) {
  return new Promise((resolve) => {
    if (millis <= 0) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, {once: true});
  });
}

// ---- the result ----

function showResult(job, body) {
  job.result = body;
  // an image is a one-page result without a pages list
  job.pages = Array.isArray(body.pages) ? body.pages : [{page: 1, text: body.text, lines: body.lines,
    timings_ms: body.timings_ms, status: body.status}];
  $('result').hidden = false;
  const failedPages = job.pages.filter((page) => page.status === 'failed').length;
  $('summary').textContent = job.pages.length > 1
    ? job.pages.length + ' pages' + (failedPages ? ', ' + failedPages + ' failed' : '') : '';
  renderDownloads(job);
  $('copy-status').textContent = '';
  showPage(0);
}

function showPage(index) {
  const job = current;
  const page = job.pages[index];
  job.pageIndex = index;
  $('pager').hidden = job.pages.length <= 1;
  $('page-label').textContent = 'Page ' + page.page + ' (' + (index + 1) + ' of ' + job.pages.length + ')';
  $('page-prev').disabled = index === 0;
  $('page-next').disabled = index === job.pages.length - 1;
  $('page-error').hidden = !page.error;
  if (page.error) {
    $('page-error').textContent = 'This page failed: ' + page.error.code + ': ' + page.error.message;
  }
  const lines = page.lines || [];
  renderLines(lines);
  renderTimings(page.timings_ms || job.result.timings_ms || {});
  const caption = [lines.length + (lines.length === 1 ? ' line' : ' lines')];
  if (lines.length > 0) {
    const mean = lines.reduce((sum, line) => sum + line.confidence, 0) / lines.length;
    caption.push('mean confidence ' + percent(mean));
  }
  if (page.dpi) {
    caption.push(page.dpi + ' dpi');
  }
  if (page.source) {
    caption.push('read from ' + page.source);
  }
  $('figure-caption').textContent = caption.join(', ');
  drawPage(job, page, lines);
}

/** The upload, when the browser can show it and the result is its one page. */
function imageOf(job) {
  return job.pages.length === 1 ? job.imageUrl : null;
}

/**
 * A document's page as the service read it (GET .../pages/{n}/image, through fetch so that the key goes along),
 * fetched once and kept as a blob URL; null for an image's job, or when the page's image cannot be had.
 */
function pageImage(job, page) {
  if (!Array.isArray(job.result.pages)) {
    return Promise.resolve(null);
  }
  job.pageImages = job.pageImages || new Map();
  if (!job.pageImages.has(page.page)) {
    const url = '/ocr/result/' + encodeURIComponent(job.id) + '/pages/' + page.page + '/image';
    job.pageImages.set(page.page, api(url)
      .then(async (response) => response.status === 200 ? URL.createObjectURL(await response.blob()) : null)
      .catch(() => null));
  }
  return job.pageImages.get(page.page);
}

function forgetImages(job) {
  if (job.imageUrl) {
    URL.revokeObjectURL(job.imageUrl);
  }
  for (const loading of (job.pageImages || new Map()).values()) {
    loading.then((url) => url && URL.revokeObjectURL(url));
  }
}

/**
 * The image under its boxes: the upload, or a document's page as the service rendered it. Without one (an image's
 * job opened again after a reload, a page whose image is gone), a blank page of its size with each line's text in
 * its box.
 */
async function drawPage(job, page, lines) {
  const image = $('image');
  const canvas = $('canvas');
  const overlay = $('overlay');
  if (!imageOf(job)) { // nothing of the page before stays on screen while this one's image comes
    image.hidden = true;
    image.removeAttribute('src');
    overlay.replaceChildren();
    overlay.removeAttribute('viewBox');
  }
  const imageUrl = imageOf(job) || await pageImage(job, page);
  if (current !== job || job.pages[job.pageIndex] !== page) {
    return; // another page or job was chosen meanwhile
  }
  const blank = () => {
    image.hidden = true;
    image.removeAttribute('src');
    canvas.classList.add('blank');
    const size = page.width && page.height ? {width: page.width, height: page.height} : extent(lines);
    drawBoxes(size, lines);
    lines.forEach((line) => overlay.append(textIn(line)));
    $('figure-caption').textContent += ', the page drawn from its recognised text';
  };
  if (!imageUrl) {
    blank();
    return;
  }
  canvas.classList.remove('blank');
  image.hidden = false;
  image.onload = () => drawBoxes({width: image.naturalWidth, height: image.naturalHeight}, lines);
  image.onerror = blank;
  if (image.getAttribute('src') === imageUrl && image.complete && image.naturalWidth > 0) {
    image.onload();
  } else {
    image.src = imageUrl;
  }
}

/** The smallest page holding every box, with a margin: for a result whose image is not at hand. */
function extent(lines) {
  let width = 100;
  let height = 100;
  for (const line of lines) {
    for (const [x, y] of line.box) {
      width = Math.max(width, x + 20);
      height = Math.max(height, y + 20);
    }
  }
  return {width, height};
}

function drawBoxes(size, lines) {
  // CSS cannot size an element from its content's shape: as wide as the column, at most 75 % of the screen high
  $('canvas').style.width = 'min(100%, ' + (75 * size.width / size.height).toFixed(2) + 'vh)';
  const overlay = $('overlay');
  overlay.replaceChildren();
  overlay.setAttribute('viewBox', '0 0 ' + size.width + ' ' + size.height);
  const paper = document.createElementNS(SVG, 'rect');
  paper.setAttribute('class', 'paper');
  paper.setAttribute('width', size.width);
  paper.setAttribute('height', size.height);
  overlay.append(paper);
  lines.forEach((line, index) => {
    for (const word of line.words || []) {
      overlay.append(polygon(word.box, 'word'));
    }
    const box = polygon(line.box, 'box');
    box.dataset.line = index;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = line.text || '';
    box.append(title);
    box.addEventListener('mouseenter', () => highlight(index, true, true));
    box.addEventListener('mouseleave', () => highlight(index, false));
    box.addEventListener('click', () => focusLine(index));
    overlay.append(box);
  });
}

/** A line's text written across its box's bounds, as high as the box. */
function textIn(line) {
  const xs = line.box.map(([x]) => x);
  const ys = line.box.map(([, y]) => y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const height = Math.max(...ys) - top;
  const text = document.createElementNS(SVG, 'text');
  text.setAttribute('class', 'page-text');
  text.setAttribute('x', left);
  text.setAttribute('y', top + 0.8 * height);
  text.setAttribute('font-size', 0.8 * height);
  text.setAttribute('textLength', Math.max(...xs) - left);
  text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
  text.textContent = line.text || '';
  return text;
}

function polygon(box, kind) {
  const shape = document.createElementNS(SVG, 'polygon');
  shape.setAttribute('points', box.map(([x, y]) => x + ',' + y).join(' '));
  shape.setAttribute('class', kind);
  return shape;
}

function renderLines(lines) {
  const list = $('lines');
  list.replaceChildren();
  lines.forEach((line, index) => {
    const item = document.createElement('li');
    item.dataset.line = index;
    item.tabIndex = index === 0 ? 0 : -1; // one tab stop; the arrow keys move between lines
    const text = document.createElement('span');
    text.className = 'line-text';
    text.textContent = line.text === undefined ? '(not recognised)' : line.text;
    const confidence = document.createElement('span');
    confidence.className = 'confidence';
    confidence.textContent = percent(line.confidence) + (line.angle === 180 ? ', turned' : '');
    item.append(text, ' ', confidence);
    item.addEventListener('mouseenter', () => highlight(index, true));
    item.addEventListener('mouseleave', () => highlight(index, false));
    item.addEventListener('focus', () => highlight(index, true));
    item.addEventListener('blur', () => highlight(index, false));
    list.append(item);
  });
}

function moveLineFocus(event) {
  const items = [...$('lines').children];
  const at = items.indexOf(document.activeElement);
  const to = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1}[event.key];
  if (at < 0 || to === undefined || to < 0 || to >= items.length) {
    return;
  }
  event.preventDefault();
  focusLine(to);
}

function focusLine(index) {
  const items = [...$('lines').children];
  items.forEach((item, i) => {
    item.tabIndex = i === index ? 0 : -1;
  });
  items[index].focus();
}

/** A line and its box, lit together; from the box, the line is scrolled into view. */
function highlight(index, on, reveal = false) {
  const item = $('lines').children[index];
  const box = $('overlay').querySelector('polygon.box[data-line="' + index + '"]');
  item.classList.toggle('active', on);
  if (box) {
    box.classList.toggle('active', on);
  }
  if (on && reveal) {
    revealLine(item);
  }
}

/** Scrolls the list alone (scrollIntoView would move the page, and the box away from under the pointer). */
function revealLine(item) {
  const list = $('lines');
  if (item.offsetTop < list.scrollTop) {
    list.scrollTop = item.offsetTop;
  } else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
  }
}

function percent(confidence) {
  return (confidence * 100).toFixed(1) + ' %';
}

function renderTimings(timings) {
  const list = $('timings');
  list.replaceChildren();
  const stages = Object.keys(timings).sort((a, b) => order(a) - order(b));
  for (const stage of stages) {
    const term = document.createElement('dt');
    term.textContent = stage;
    const value = document.createElement('dd');
    value.textContent = timings[stage].toFixed(1) + ' ms';
    list.append(term, value);
  }
}

function order(stage) {
  const at = TIMING_ORDER.indexOf(stage);
  return at < 0 ? TIMING_ORDER.length : at;
}

function renderDownloads(job) {
  const list = $('downloads');
  list.replaceChildren();
  for (const format of FORMATS) {
    const link = document.createElement('a');
    link.href = resultUrl(job, {format: format.name});
    link.download = job.id + '.' + format.extension;
    link.textContent = format.label;
    link.dataset.format = format.name;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      download(link);
    });
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
  }
}

/** Through fetch, since a link cannot send the key; the file is saved from the answer's blob. */
async function download(link) {
  try {
    const response = await api(link.href);
    if (!response.ok) {
      showError(response, await readBody(response));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = link.download;
    save.click();
    // the browser reads the blob after this task: freeing it at once could cut the download short
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    showProblem('NETWORK_ERROR', 'The download failed: ' + e.message);
  }
}

async function copyAll() {
  const job = current;
  const text = typeof job.result.text === 'string' ? job.result.text
    : job.pages.map((page) => page.text || '').join('\n\n');
  try {
    await navigator.clipboard.writeText(text);
    $('copy-status').textContent = 'Copied ' + text.length + ' characters.';
  } catch (e) {
    $('copy-status').textContent = 'The browser refused the clipboard: select the lines and copy them instead.';
  }
}

// ---- the jobs of this browser ----

function recentJobs() {
  try {
    const jobs = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]');
    return Array.isArray(jobs) ? jobs.filter((job) => typeof job.id === 'string') : [];
  } catch (e) {
    return [];
  }
}

function remember(job, status) {
  const jobs = recentJobs().filter((other) => other.id !== job.id);
  jobs.unshift({id: job.id, name: String(job.name), status: String(status), at: new Date().toISOString()});
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(jobs.slice(0, RECENT_MAX)));
  } catch (e) {
    // storage full or disabled: the list is a convenience
  }
  renderRecent();
}

function renderRecent() {
  const jobs = recentJobs();
  $('recent').hidden = jobs.length === 0;
  const list = $('recent-list');
  list.replaceChildren();
  for (const job of jobs) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = job.name + ': ' + job.status + ', ' + new Date(job.at).toLocaleString();
    button.addEventListener('click', () => follow({id: job.id, name: job.name, imageUrl: null,
      words: $('opt-words').checked}));
    const item = document.createElement('li');
    item.append(button);
    list.append(item);
  }
}
