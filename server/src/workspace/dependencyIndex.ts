// The reverse import index: for every file an analysis read (a protocol, a helper, a file that
// turned out not to exist), the open documents whose analysis depends on it.
export class DependencyIndex {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly dependencies = new Map<string, ReadonlySet<string>>();

  /** Records that `uri`'s latest analysis read exactly `files`. */
  set(uri: string, files: Iterable<string>): void {
    this.delete(uri);
    const set = new Set(files);
    this.dependencies.set(uri, set);
    for (const file of set) {
      let users = this.dependents.get(file);
      if (users === undefined) this.dependents.set(file, (users = new Set()));
      users.add(uri);
    }
  }

  delete(uri: string): void {
    const old = this.dependencies.get(uri);
    if (old === undefined) return;
    this.dependencies.delete(uri);
    for (const file of old) {
      const users = this.dependents.get(file);
      users?.delete(uri);
      if (users?.size === 0) this.dependents.delete(file);
    }
  }

  /** The documents whose analysis read `file`. */
  dependentsOf(file: string): string[] {
    return [...(this.dependents.get(file) ?? [])];
  }

  dependenciesOf(uri: string): string[] {
    return [...(this.dependencies.get(uri) ?? [])];
  }
}
