#!/usr/bin/env node
// Makes the Teams app package (the zip an administrator uploads to the Teams admin center):
//   1. fills manifest.template.json with the deployment's settings (app id, bot id, host name, SSO client id);
//   2. validates the result offline against the official JSON schema of its manifestVersion, as shipped in the
//      pinned @microsoft/app-manifest package (build/json-schemas/teams/v<version>/), and the localization files
//      against the localization schema of the same version;
//   3. checks what a schema cannot: icon sizes and the outline icon's colours (PROTOCOL.md E.5, msteams-docs
//      concepts/build-and-test/apps-package.md), the Outlook ribbon icons the app serves, and that the default
//      language file says exactly what the manifest says;
//   4. writes the zip: manifest.json, the icons and the localization files at its root (no folder).
//
// Usage: node manifest/package.mjs --app-id <guid> --bot-id <guid> --host <name> [--client-id <guid>] [--out <zip>]
// Every option can also come from the environment (see `--help`). Exits 1 with the reasons when anything is wrong.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const OPTIONS = [
  { name: 'app-id', env: ['TEAMS_APP_ID'], placeholder: 'APP_ID', guid: true, help: "the Teams app's id (any GUID, stable across versions)" },
  { name: 'bot-id', env: ['BOT_ID', 'Bot__AppId'], placeholder: 'BOT_ID', guid: true, help: "the Azure Bot's Microsoft App ID (Bot:AppId)" },
  { name: 'host', env: ['APP_HOST'], placeholder: 'HOST', help: "the app's public host name, e.g. postmortems.contoso.com" },
  { name: 'client-id', env: ['CLIENT_ID', 'Auth__ClientId'], placeholder: 'CLIENT_ID', guid: true, help: "the tab's Entra app registration (Auth:ClientId); default: the bot id" },
  { name: 'version', env: ['APP_VERSION'], placeholder: 'VERSION', fallback: '1.0.0', help: 'the app version (semver); raise it for every upload' },
  { name: 'developer-name', env: ['DEVELOPER_NAME'], placeholder: 'DEVELOPER_NAME', fallback: 'Blameless Postmortems', help: 'who publishes the app in your organisation (up to 32 characters)' },
  { name: 'website-url', env: ['WEBSITE_URL'], placeholder: 'WEBSITE_URL', help: 'support page; default https://<host>/tab/' },
  { name: 'privacy-url', env: ['PRIVACY_URL'], placeholder: 'PRIVACY_URL', help: 'privacy statement; default the website URL' },
  { name: 'terms-url', env: ['TERMS_URL'], placeholder: 'TERMS_URL', help: 'terms of use; default the website URL' },
  { name: 'out', env: ['PACKAGE_OUT'], help: 'the zip to write; default manifest/build/postmortems-<version>.zip' },
];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

class PackageError extends Error {
  constructor(problems) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export function readSettings(argv, env) {
  const values = {};
  const problems = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const option = OPTIONS.find((o) => `--${o.name}` === flag);
    if (!option) {
      problems.push(`Unknown option ${arg}. Run with --help for the list.`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) problems.push(`${flag} needs a value.`);
    else values[option.name] = value;
  }
  for (const option of OPTIONS) {
    values[option.name] ??= option.env.map((name) => env[name]).find((v) => v !== undefined && v !== '') ?? option.fallback;
  }

  if (values.host) {
    // A URL is accepted too: only its host is used, in lower case (Teams compares host names, the app id URI must be lower case).
    values.host = values.host.replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase();
  }
  values['client-id'] ??= values['bot-id'];
  values['website-url'] ??= values.host ? `https://${values.host}/tab/` : undefined;
  values['privacy-url'] ??= values['website-url'];
  values['terms-url'] ??= values['website-url'];

  for (const option of OPTIONS.filter((o) => o.name !== 'out')) {
    const value = values[option.name];
    const from = `--${option.name} (or ${option.env.join(' / ')})`;
    if (value === undefined) problems.push(`${from} is required: ${option.help}.`);
    else if (option.guid && !GUID.test(value)) problems.push(`${from} must be a GUID, got "${value}".`);
  }
  if (values.host && !HOST.test(values.host)) problems.push(`--host must be a host name such as postmortems.contoso.com, got "${values.host}".`);
  if (values.version && !SEMVER.test(values.version)) problems.push(`--version must look like 1.2.3, got "${values.version}".`);
  if (values['developer-name'] && values['developer-name'].length > 32) problems.push('--developer-name is limited to 32 characters.');
  for (const name of ['website-url', 'privacy-url', 'terms-url']) {
    if (values[name] && !/^https:\/\/[^\s"]+$/.test(values[name])) problems.push(`--${name} must be an https URL, got "${values[name]}".`);
  }
  if (problems.length > 0) throw new PackageError(problems);
  return values;
}

/** The template with every ${{NAME}} replaced; a placeholder without a value is an error, not an empty string. */
export function fillTemplate(text, values) {
  const byPlaceholder = Object.fromEntries(OPTIONS.filter((o) => o.placeholder).map((o) => [o.placeholder, values[o.name]]));
  const missing = new Set();
  const filled = text.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name) => {
    if (byPlaceholder[name] === undefined) {
      missing.add(name);
      return '';
    }
    // The values are checked above, but they still go into JSON strings: escape them as JSON does.
    return JSON.stringify(String(byPlaceholder[name])).slice(1, -1);
  });
  if (missing.size > 0) throw new PackageError([`The template uses placeholders with no setting: ${[...missing].join(', ')}.`]);
  return JSON.parse(filled);
}

function schemaFolder(manifestVersion) {
  const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const folder = join(root, 'build', 'json-schemas', 'teams', `v${manifestVersion}`);
  if (!existsSync(folder)) throw new PackageError([`@microsoft/app-manifest has no schema for manifestVersion ${manifestVersion}.`]);
  return folder;
}

function validator() {
  // The Teams schemas are JSON Schema draft-04 (with `const` from later drafts, which Ajv's draft-04 build accepts).
  const Ajv04 = require('ajv-draft-04');
  const addFormats = require('ajv-formats');
  // unicodeRegExp off: some patterns of the localization schema (e.g. `\b]`) are valid only without the u flag.
  const ajv = new (Ajv04.default ?? Ajv04)({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats.default ?? addFormats)(ajv);
  return ajv;
}

function schemaProblems(validate, document, label) {
  if (validate(document)) return [];
  return validate.errors.map((e) => `${label}${e.instancePath || '/'}: ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
}

/** Width, height and RGBA pixels of a PNG (8-bit grey+alpha or RGBA, the kinds icons with transparency use). */
export function readPng(buffer) {
  const signature = '89504e470d0a1a0a';
  if (buffer.subarray(0, 8).toString('hex') !== signature) throw new Error('not a PNG file');
  let offset = 8;
  let header;
  const data = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colourType: body[9], interlace: body[12] };
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  if (!header) throw new Error('no IHDR chunk');
  const channels = { 6: 4, 4: 2 }[header.colourType];
  if (!channels || header.bitDepth !== 8 || header.interlace !== 0) return { ...header, pixels: null };

  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  const rows = Buffer.alloc(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      rows[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  const pixels = Buffer.alloc(header.width * header.height * 4);
  for (let i = 0; i < header.width * header.height; i++) {
    if (channels === 4) rows.copy(pixels, i * 4, i * 4, i * 4 + 4);
    else pixels.fill(rows[i * 2], i * 4, i * 4 + 3), (pixels[i * 4 + 3] = rows[i * 2 + 1]);
  }
  return { ...header, pixels };
}

function iconProblems(path, label, size, { whiteOnTransparent = false } = {}) {
  if (!existsSync(path)) return [`${label}: ${path} does not exist.`];
  let png;
  try {
    png = readPng(readFileSync(path));
  } catch (e) {
    return [`${label}: ${path} is not a readable PNG (${e.message}).`];
  }
  const problems = [];
  if (png.width !== size || png.height !== size) problems.push(`${label} must be ${size}×${size} pixels; ${path} is ${png.width}×${png.height}.`);
  if (whiteOnTransparent) {
    if (!png.pixels) return [...problems, `${label} must be an 8-bit PNG with transparency (RGBA).`];
    let ink = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b, alpha] = png.pixels.subarray(i, i + 4);
      if (alpha === 0) continue;
      ink++;
      if (r !== 255 || g !== 255 || b !== 255) {
        problems.push(`${label} must be white on a transparent background; pixel ${(i / 4) % png.width},${Math.floor(i / 4 / png.width)} is rgb(${r},${g},${b}).`);
        break;
      }
    }
    if (ink === 0) problems.push(`${label} is fully transparent.`);
    if (ink === png.width * png.height) problems.push(`${label} has no transparent background.`);
  }
  return problems;
}

/** The value at a localization key such as "bots[0].commandLists[0].commands[3].description". */
function valueAt(manifest, key) {
  return key
    .split(/\.|(?=\[)/)
    .reduce((node, part) => (node === undefined ? undefined : node[/^\[(\d+)\]$/.test(part) ? Number(part.slice(1, -1)) : part]), manifest);
}

function localizationFiles(manifest) {
  const info = manifest.localizationInfo;
  if (!info) return [];
  return [
    ...(info.defaultLanguageFile ? [{ file: info.defaultLanguageFile, tag: info.defaultLanguageTag, isDefault: true }] : []),
    ...(info.additionalLanguages ?? []).map((l) => ({ file: l.file, tag: l.languageTag, isDefault: false })),
  ];
}

/** Everything that goes into the zip, checked. Throws PackageError with every problem found. */
export function buildPackage(values) {
  const manifest = fillTemplate(readFileSync(join(here, 'manifest.template.json'), 'utf8'), values);
  const folder = schemaFolder(manifest.manifestVersion);
  const ajv = validator();
  const problems = schemaProblems(ajv.compile(JSON.parse(readFileSync(join(folder, 'MicrosoftTeams.schema.json'), 'utf8'))), manifest, 'manifest.json');

  const files = new Map([['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n')]]);
  const icons = [
    { key: 'color', size: 192 },
    { key: 'outline', size: 32, whiteOnTransparent: true },
    { key: 'color32x32', size: 32 },
  ];
  for (const icon of icons.filter((i) => manifest.icons?.[i.key])) {
    const path = join(here, 'icons', manifest.icons[icon.key]);
    problems.push(...iconProblems(path, `icons.${icon.key}`, icon.size, icon));
    if (existsSync(path)) files.set(manifest.icons[icon.key], readFileSync(path));
  }

  // The Outlook ribbon icons are fetched from the app at run time: check the files the app serves for those URLs.
  const wwwroot = join(here, '..', 'bot', 'Postmortems.Bot', 'wwwroot');
  for (const extension of manifest.extensions ?? []) {
    for (const ribbon of extension.ribbons ?? []) {
      for (const tab of ribbon.tabs ?? []) {
        for (const item of (tab.groups ?? []).flatMap((g) => [g, ...(g.controls ?? [])])) {
          for (const icon of item.icons ?? []) {
            const url = new URL(icon.url);
            if (url.host !== values.host) problems.push(`Ribbon icon ${icon.url} is not served by ${values.host}.`);
            else problems.push(...iconProblems(join(wwwroot, ...url.pathname.split('/').filter(Boolean)), `Ribbon icon ${url.pathname}`, icon.size));
          }
        }
      }
    }
  }

  const localizationValidate = ajv.compile(JSON.parse(readFileSync(join(folder, 'MicrosoftTeams.Localization.schema.json'), 'utf8')));
  for (const { file, tag, isDefault } of localizationFiles(manifest)) {
    const path = join(here, 'localization', file);
    if (!existsSync(path)) {
      problems.push(`Localization file ${file} (${tag}) is missing from manifest/localization/.`);
      continue;
    }
    const strings = JSON.parse(readFileSync(path, 'utf8'));
    problems.push(...schemaProblems(localizationValidate, strings, file));
    for (const [key, text] of Object.entries(strings).filter(([k]) => k !== '$schema' && k !== 'localizationKeys')) {
      const inManifest = valueAt(manifest, key);
      if (inManifest === undefined) problems.push(`${file}: "${key}" names nothing in the manifest.`);
      else if (isDefault && inManifest !== text) problems.push(`${file}: "${key}" must say what the manifest says (the default language file and the manifest must agree).`);
    }
    files.set(file, readFileSync(path));
  }

  if (problems.length > 0) throw new PackageError(problems);
  return { manifest, files };
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip (PKWARE APPNOTE 4.3: local headers, deflated data, central directory, end record), entries at its root. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const dosTime = 0;
  const dosDate = (1 << 5) | 1; // 1980-01-01: a fixed date, so the same input makes the same zip
  for (const [name, content] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = deflateRawSync(content, { level: 9 });
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function usage() {
  const lines = OPTIONS.map((o) => `  --${o.name.padEnd(15)} ${o.env.join(' / ').padEnd(26)} ${o.help}`);
  return ['Usage: node manifest/package.mjs --app-id <guid> --bot-id <guid> --host <name> [options]', '', '  option           or environment variable    meaning', ...lines].join('\n');
}

function main() {
  let values;
  try {
    values = readSettings(process.argv.slice(2), process.env);
    if (values.help) {
      console.log(usage());
      return 0;
    }
    const { manifest, files } = buildPackage(values);
    const out = resolve(values.out ?? join(here, 'build', `postmortems-${manifest.version}.zip`));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip(files));
    console.log(`Wrote ${out}: manifest ${manifest.manifestVersion}, app ${manifest.id} version ${manifest.version}, host ${values.host} (${[...files.keys()].join(', ')}).`);
    return 0;
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    console.error(`The app package was not written:\n${e.problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
