// Reads {"map": <v3 map>, "queries": [[line, column], ...]} on stdin (lines 1-based,
// columns 0-based UTF-16) and prints {"positions": [...], "mappedLines": {source: [lines]}}:
// what Mozilla's source-map reads from our map.
const { SourceMapConsumer } = require("source-map");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { map, queries } = JSON.parse(input);
  await SourceMapConsumer.with(map, null, (consumer) => {
    const positions = queries.map(([line, column]) => {
      const found = consumer.originalPositionFor({ line, column });
      return [found.source, found.line, found.column];
    });
    const mappedLines = {};
    consumer.eachMapping((m) => {
      (mappedLines[m.source] = mappedLines[m.source] || new Set()).add(m.originalLine);
    });
    const lines = Object.fromEntries(
      Object.entries(mappedLines).map(([source, set]) => [source, [...set].sort((a, b) => a - b)])
    );
    process.stdout.write(JSON.stringify({ positions, mappedLines: lines }));
  });
});
