/**
 * Expands a phrase pattern into every word sequence it allows. Syntax (JSGF-like):
 * words, `<slot>` names kept as tokens, `(a | b)` alternatives, `[a]` optional parts.
 */
export function expandPhrase(pattern: string): string[][] {
  const tokens = pattern.match(/<[^>]+>|[()[\]|]|[^\s()[\]|<>]+/g) ?? [];
  let position = 0;

  const parseAlternatives = (): string[][] => {
    const options = [...parseSequence()];
    while (tokens[position] === '|') {
      position += 1;
      options.push(...parseSequence());
    }
    return options;
  };

  const parseSequence = (): string[][] => {
    let results: string[][] = [[]];
    while (
      position < tokens.length &&
      tokens[position] !== '|' &&
      tokens[position] !== ')' &&
      tokens[position] !== ']'
    ) {
      const token = tokens[position++] as string;
      let choices: string[][];
      if (token === '(' || token === '[') {
        choices = parseAlternatives();
        const close = tokens[position++];
        if (close !== (token === '(' ? ')' : ']'))
          throw new Error(`Unbalanced "${token}" in phrase: ${pattern}`);
        if (token === '[') choices = [[], ...choices];
      } else {
        choices = [[token]];
      }
      results = results.flatMap((prefix) => choices.map((choice) => [...prefix, ...choice]));
    }
    return results;
  };

  const expansions = parseAlternatives();
  if (position !== tokens.length) throw new Error(`Unexpected "${tokens[position]}" in phrase: ${pattern}`);
  return expansions;
}
