#!/usr/bin/env bash
# Regenerates docs/trusted-base.md: every source file of the trusted base with
# its line count (all lines, and lines that are neither blank nor comments).
# The trusted base is the module ring0.trusted (trusted/src/main/java).
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
{
  echo "# The trusted base"
  echo
  echo "Everything that decides whether a program may run inside the kernel's"
  echo "process. A bug here is a kernel compromise. It is the module"
  echo "\`ring0.trusted\` (\`trusted/src/main/java\`), which depends on nothing but"
  echo "\`java.base\`; \`module-info.java\` enforces that the assembler cannot leak in."
  echo
  echo "Regenerate with \`scripts/trusted-base.sh\`; \`TrustedBaseInventoryTest\` fails"
  echo "when this table is out of date."
  echo
  echo "| file | lines | code lines |"
  echo "|---|---:|---:|"
  total=0; totalc=0
  while IFS= read -r f; do
    n=$(awk 'END{print NR}' "$f"); c=$(code_lines "$f")
    total=$((total + n)); totalc=$((totalc + c))
    echo "| \`${f#trusted/src/main/java/}\` | $n | $c |"
  done < <(find trusted/src/main/java -name '*.java' | LC_ALL=C sort)
  echo "| **total** | **$total** | **$totalc** |"
} > "$out"
echo "wrote $out"
