"use strict";
// Checks Adaptive Cards with Microsoft's adaptivecards library, parsing them as Teams hosts them (schema 1.5).
//
//   node tests/card-check/check-cards.js [cards.json] < cards.json
//
// Input: a JSON array (stdin, or the file named by the argument). Each item is a card object, or a string holding
// a card's JSON text; for a string, "bytes" is the size of exactly that text, as the bot sends it.
// Output on stdout: [{ "index": 0, "errors": ["..."], "warnings": ["..."], "bytes": 1234 }].
// Exits 0 whenever the check ran, whatever it found; non-zero only when the script itself failed.

const fs = require("node:fs");

// stdout carries the JSON result only.
for (const level of ["log", "info", "warn", "debug"]) {
    console[level] = console.error;
}

let AC;
try {
    // The package's "main" (lib/) is ES modules with extension-less imports, which node cannot load. dist/ is the
    // self-contained UMD bundle. Parsing and validation touch no DOM, so no browser globals are needed.
    AC = require("adaptivecards/dist/adaptivecards.js");
} catch (e) {
    process.stderr.write(
        `check-cards: cannot load the adaptivecards npm package (${String(e.message).split("\n")[0]}).\n` +
            "Install the repository's node packages: npm ci (in the folder holding package.json).\n"
    );
    process.exit(2);
}

const teamsVersion = AC.Versions.v1_5;

// Close to Teams' own host config. Of these, only supportsInteractivity and actions.maxActions change what the
// validation reports; the rest is layout.
const teamsHostConfig = new AC.HostConfig({
    supportsInteractivity: true,
    fontFamily: "'Segoe UI', sans-serif",
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: "#EEEEEE" },
    imageSizes: { small: 32, medium: 52, large: 100 },
    actions: {
        maxActions: 6,
        spacing: "default",
        buttonSpacing: 8,
        showCard: { actionMode: "inline", inlineTopMargin: 16, style: "emphasis" },
        actionsOrientation: "horizontal",
        actionAlignment: "left",
    },
    adaptiveCard: { allowCustomStyle: false },
});

// Events that do not lose or break content: hints, accessibility advice, properties newer than the card's version.
const warningEvents = new Set([
    AC.ValidationEvent.Hint,
    AC.ValidationEvent.Deprecated,
    AC.ValidationEvent.UnsupportedProperty,
    AC.ValidationEvent.RequiredInputsShouldHaveLabel,
    AC.ValidationEvent.RequiredInputsShouldHaveErrorMessage,
]);

// The library silently ignores properties it does not know, so a misspelled "txt" renders an empty TextBlock.
// To catch those, every object the library parses is handed to it behind a proxy that records the keys it reads;
// the keys it never read are unknown to it.
let tracked = null; // per card: Map from each parsed JSON object to { owner, read }
const parse = AC.SerializableObject.prototype.parse;
AC.SerializableObject.prototype.parse = function (source, context) {
    if (tracked === null || source === null || typeof source !== "object" || Array.isArray(source)) {
        return parse.call(this, source, context);
    }
    let entry = tracked.get(source);
    if (!entry) {
        entry = { owner: this, read: new Set() };
        tracked.set(source, entry);
    }
    const read = entry.read;
    const recorder = new Proxy(source, {
        get(target, key) {
            read.add(key);
            return Reflect.get(target, key);
        },
        has(target, key) {
            read.add(key);
            return Reflect.has(target, key);
        },
        // source.hasOwnProperty(name) lands here.
        getOwnPropertyDescriptor(target, key) {
            read.add(key);
            return Reflect.getOwnPropertyDescriptor(target, key);
        },
    });
    return parse.call(this, recorder, context);
};

function isKnownWithoutBeingRead(owner, key, card) {
    // "fallback" is read by the parent's parser, and only when the element or action has to fall back.
    if (key === "fallback" && owner instanceof AC.CardObject) {
        return true;
    }
    // Teams-specific root property (width, mention entities), not part of the Adaptive Cards schema.
    return key === "msteams" && owner === card;
}

// Teams adds "choices.data" (Data.Query: the people picker and dynamic typeahead) to Input.ChoiceSet in its own
// 1.5 host (Microsoft Teams docs, task-modules-and-cards/cards/people-picker.md, "Update schema"); the library
// only knows it from schema 1.6. That one property is allowed; every other newer property is still reported.
function isTeamsExtension(event, message, owner) {
    return event === AC.ValidationEvent.UnsupportedProperty
        && owner instanceof AC.ChoiceSetInput
        && message.includes('"choices.data"');
}

// JSONPath-like location of every object in the card, to say where a problem is.
function locate(value, path, paths) {
    if (value === null || typeof value !== "object") {
        return paths;
    }
    paths.set(value, path);
    if (Array.isArray(value)) {
        value.forEach((item, i) => locate(item, `${path}[${i}]`, paths));
    } else {
        for (const [key, item] of Object.entries(value)) {
            locate(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, paths);
        }
    }
    return paths;
}

function typeName(owner, source) {
    if (owner && typeof owner.getJsonTypeName === "function") {
        return owner.getJsonTypeName();
    }
    return (source && typeof source.type === "string" && source.type) || (owner && owner.constructor.name) || "?";
}

function checkCard(json) {
    const errors = [];
    const warnings = [];
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        errors.push("A card must be a JSON object.");
        return { errors, warnings };
    }

    // The schema requires a version on the top-level card (not on a ShowCard's); the library silently assumes 1.0.
    if (json.version === undefined) {
        errors.push('$ (AdaptiveCard): "version" is missing; the top-level card must declare one [PropertyCantBeNull]');
    }

    const paths = locate(json, "$", new Map());
    const sources = new Map(); // parsed object -> its JSON
    const where = (owner) => {
        const source = owner ? sources.get(owner) : undefined;
        return source ? `${paths.get(source)} (${typeName(owner, source)}): ` : "";
    };
    const report = (event, message, owner) => {
        if (isTeamsExtension(event, message, owner)) {
            return;
        }
        const text = `${where(owner)}${message} [${AC.ValidationEvent[event]}]`;
        (warningEvents.has(event) ? warnings : errors).push(text);
    };

    // A card may use only what its declared version has, and Teams renders up to 1.5; an unparsable or newer
    // version is reported by the validation below.
    const declared = AC.Version.parse(json.version, new AC.SerializationContext());
    const target = declared && declared.isValid && declared.compareTo(teamsVersion) < 0 ? declared : teamsVersion;

    const card = new AC.AdaptiveCard();
    card.hostConfig = teamsHostConfig;
    card.maxVersion = teamsVersion;
    const context = new AC.SerializationContext(target);
    tracked = new Map();
    try {
        card.parse(json, context);
        const validation = card.validateProperties();

        for (const [source, { owner }] of tracked) {
            sources.set(owner, source);
        }
        for (let i = 0; i < context.eventCount; i++) {
            const event = context.getEventAt(i);
            report(event.event, event.message, event.source);
        }
        for (const event of validation.validationEvents) {
            report(event.event, event.message, event.source);
        }
        for (const [source, { owner, read }] of tracked) {
            for (const key of Object.keys(source)) {
                if (!read.has(key) && !isKnownWithoutBeingRead(owner, key, card)) {
                    warnings.push(`${where(owner)}unknown property "${key}", ignored by the renderer [UnknownProperty]`);
                }
            }
        }
    } catch (e) {
        // The parser throws on some invalid cards (e.g. a TextRun directly in a body) instead of logging an event.
        errors.push(`The adaptivecards parser threw: ${e && e.message ? e.message : String(e)}`);
    } finally {
        tracked = null;
    }
    return { errors, warnings };
}

function main() {
    const inputPath = process.argv[2];
    const text = fs.readFileSync(inputPath ?? 0, "utf8");
    const cards = JSON.parse(text);
    if (!Array.isArray(cards)) {
        throw new Error("the input must be a JSON array of cards");
    }

    const results = cards.map((item, index) => {
        const cardText = typeof item === "string" ? item : JSON.stringify(item);
        const bytes = Buffer.byteLength(cardText, "utf8");
        let json;
        try {
            json = typeof item === "string" ? JSON.parse(item) : item;
        } catch (e) {
            return { index, errors: [`Not valid JSON: ${e.message}`], warnings: [], bytes };
        }
        return { index, ...checkCard(json), bytes };
    });
    process.stdout.write(JSON.stringify(results) + "\n");
}

try {
    main();
} catch (e) {
    process.stderr.write(`check-cards: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
}
