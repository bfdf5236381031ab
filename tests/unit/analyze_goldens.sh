#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The analyzer's golden reports: each samples/analyze/NAME.nr has its expected renderings
# NAME.report.txt (text), NAME.report.json, NAME.packets.txt, NAME.folded, compared byte
# for byte with what `netrec report` writes today.
#
#   analyze_goldens.sh check  NETREC SAMPLES        (the unit test)
#   analyze_goldens.sh update NETREC SAMPLES GEN    (meson run target update-goldens:
#                                                    regenerates scenario.nr with GEN,
#                                                    then every expected rendering)
#   analyze_goldens.sh update NETREC SAMPLES        (the traces stay as they are, e.g.
#                                                    the recorded ones of samples/recorded:
#                                                    every expected rendering)
set -eu
mode=$1 netrec=$2 dir=$3

render() {	# trace output-kind -> stdout
	case $2 in
	report.txt) "$netrec" report "$1" --color=never ;;
	report.json) "$netrec" report "$1" --json ;;
	packets.txt) "$netrec" report "$1" --packets --limit 5 ;;
	folded) "$netrec" report "$1" --folded ;;
	esac
}

kinds="report.txt report.json packets.txt folded"
if [ "$mode" = update ] && [ -n "${4:-}" ]; then
	"$4" -o "$dir/scenario.nr"
fi
status=0
count=0
for trace in "$dir"/*.nr; do
	base=${trace%.nr}
	for k in $kinds; do
		# the file name in the header is the one given: keep it relative and stable
		want="$base.$k"
		got=$(cd "$dir" && render "$(basename "$trace")" "$k"; echo x)
		got=${got%x}
		if [ "$mode" = update ]; then
			printf '%s' "$got" > "$want"
			echo "updated $want"
		elif [ ! -f "$want" ]; then
			echo "missing $want (meson compile -C build update-goldens)" >&2
			status=1
		elif [ "$(cat "$want"; echo x)" != "${got}x" ]; then
			echo "differs: $want" >&2
			printf '%s' "$got" | diff -u "$want" - >&2 || true
			status=1
		fi
		count=$((count + 1))
	done
done
if [ "$mode" = check ]; then
	if [ "$status" = 0 ]; then
		echo "$count passed, 0 failed"
	else
		echo "goldens differ"
	fi
fi
exit $status
