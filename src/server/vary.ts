/** `Vary` is a list: a name is added once, whoever adds it first. */
export function appendVary(headers: Headers, name: string): void {
  const vary = headers.get('vary');
  if (vary === null) headers.set('vary', name);
  else if (!vary.toLowerCase().split(/ *, */).includes(name.toLowerCase())) headers.set('vary', `${vary}, ${name}`);
}
