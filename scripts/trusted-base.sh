#!/usr/bin/env bash
# Regenerates docs/trusted-base.md: every source file of the trusted base with
# its line count (all lines, and lines that are neither blank nor comments).
# The trusted base is the verifier (module ring0.trusted, trusted/src/main/java)
# and the kernel runtime (module ring0.kernel, kernel/src/main/java), which
# shares its process with the programs it runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=docs/trusted-base.md
code_lines() { # non-blank lines that are not // or /* */ comment lines
    awk 'BEGIN{c=0; inc=0}
         { s=$0; gsub(/^[ \t]+|[ \t]+$/, "", s);
           if (inc) { if (s ~ /\*\//) inc=0; next }
           if (s == "") next
           if (s ~ /^\/\//) next
           if (s ~ /^\/\*/) { if (s !~ /\*\//) inc=1; next }
           c++ }
         END{print c}' "$1"
}
# table DIR: one row per .java file under DIR (path relative to the repository), then a total row;
# leaves the totals in $n_all and $c_all.
table() {
  local dir="$1" f n c
  n_all=0; c_all=0
  echo "| file | lines | code lines |"
  echo "|---|---:|---:|"
  while IFS= read -r f; do
    n=$(awk 'END{print NR}' "$f"); c=$(code_lines "$f")
    n_all=$((n_all + n)); c_all=$((c_all + c))
    echo "| \`$f\` | $n | $c |"
  done < <(find "$dir" -name '*.java' | LC_ALL=C sort)
  echo "| **total** | **$n_all** | **$c_all** |"
}
verifier="$(table trusted/src/main/java)"
table trusted/src/main/java >/dev/null; vn=$n_all; vc=$c_all
kernel="$(table kernel/src/main/java)"
table kernel/src/main/java >/dev/null; kn=$n_all; kc=$c_all
{
  echo "# The trusted base"
  echo
  echo "Everything a program's safety depends on. A bug here is a kernel"
  echo "compromise. It has two parts:"
  echo
  echo "- **The verifier**, module \`ring0.trusted\`: the strict ELF reader, the"
  echo "  strict x86-64 decoder, the service table and the type checker. It decides"
  echo "  whether a program may run at all, and depends on nothing but \`java.base\`;"
  echo "  \`module-info.java\` enforces that the assembler cannot leak in."
  echo "- **The kernel runtime**, module \`ring0.kernel\`: the loader and trampolines,"
  echo "  the system calls, processes, the file system and page cache. It shares its"
  echo "  process with the programs, so its run-time checks (buffer ranges,"
  echo "  descriptors, paths) are part of the protection too."
  echo
  echo "| part | files | lines | code lines |"
  echo "|---|---:|---:|---:|"
  echo "| verifier (\`trusted/\`) | $(find trusted/src/main/java -name '*.java' | wc -l) | $vn | $vc |"
  echo "| kernel runtime (\`kernel/\`) | $(find kernel/src/main/java -name '*.java' | wc -l) | $kn | $kc |"
  echo "| **all** | | **$((vn + kn))** | **$((vc + kc))** |"
  echo
  echo "Not trusted: the assembler (\`asm/\`), the command line (\`cli/\`), the"
  echo "benchmarks and the tests. The JDK (HotSpot, the FFM linker) and the host"
  echo "Linux kernel are trusted as the platform."
  echo
  echo "Regenerate with \`scripts/trusted-base.sh\`; \`TrustedBaseInventoryTest\` fails"
  echo "when this file is out of date."
  echo
  echo "## The verifier"
  echo
  echo "$verifier"
  echo
  echo "## The kernel runtime"
  echo
  echo "$kernel"
} > "$out"
echo "wrote $out"
