// Screenshots of the pages of a working day on the 600-candidate sample (see README "Screens").
// usage: node docs/screens/shoot.js <playwright package dir> <base url> <suffix: before|after>
// The server must hold the sample (ops/sample/load.sh) and a plan; Chromium from $CHROMIUM_PATH.
"use strict";
const path = require("path");
const [pkg, base, suffix] = process.argv.slice(2);
const { chromium } = require(pkg);
const out = path.join(__dirname);

async function token(body) {
  const r = await fetch(`${base}/api/dev/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return (await r.json()).token;
}

(async () => {
  const organiser = await token({ role: "organiser", name: "bureau des examens" });
  const schedule = await (await fetch(`${base}/api/sessions/2024/schedule`, { headers: { Authorization: `Bearer ${organiser}` } })).json();
  const commission = "CAEN-2024-05-28-C2";
  const examiner = schedule.find(r => r.commissionId === commission).examinerIds[0];
  const shots = [
    { name: "index", url: "/", width: 1400 },
    { name: "jury", url: `/jury/NORMANDIE?session=2024#token=${await token({ role: "jury-president", name: "président NORMANDIE", scope: "NORMANDIE" })}`, width: 1400, wait: "#candidates tbody tr" },
    { name: "commission-390", url: `/commission/${commission}?session=2024&centre=CAEN&date=2024-05-28#token=${await token({ role: "examiner", name: examiner })}`, width: 390, wait: "#exams tbody tr" },
    { name: "commission-1400", url: `/commission/${commission}?session=2024&centre=CAEN&date=2024-05-28#token=${await token({ role: "examiner", name: examiner })}`, width: 1400, wait: "#exams tbody tr" },
    { name: "centre", url: `/centre/CAEN?session=2024&date=2024-05-28#token=${await token({ role: "centre-manager", name: "Mme Lefèvre", scope: "CAEN" })}`, width: 1400, wait: "tr[data-candidate]" },
    { name: "planning", url: `/planning?session=2024#token=${organiser}`, width: 1400, wait: ".tl-exam" },
    { name: "workspace", url: `/workspace?session=2024#token=${organiser}`, width: 1400, wait: "#list-juries tbody tr" },
  ];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--headless=new"] });
  for (const shot of shots) {
    const context = await browser.newContext({ locale: "fr-FR", viewport: { width: shot.width, height: shot.width < 500 ? 844 : 900 } });
    const page = await context.newPage();
    await page.goto(base + shot.url);
    if (shot.wait) await page.locator(shot.wait).first().waitFor({ timeout: 20000 });
    await page.waitForTimeout(1500);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    // Long pages are cut at 2,600 px: the top is what the issue is about; the full height is in the file name's log line.
    await page.screenshot({ path: path.join(out, `${shot.name}-${suffix}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 2600) } });
    console.log(`${shot.name}-${suffix}.png: page ${width} × ${height} px`);
    await context.close();
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
