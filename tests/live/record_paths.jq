# packet instances from `netrec dump --json` (slurped): one per skb from its first
# sighting; each with its packet header and its path "probe@dev"
reduce (.[] | select(.type == "pkt")) as $e ({n: 0, cur: {}, pk: []};
	if ($e.flags | index("first_sight")) then
		.cur[$e.skb] = .n | .pk += [{packet: $e.packet, path: []}] | .n += 1
	else . end
	| if .cur[$e.skb] != null then
		.pk[.cur[$e.skb]].path += ["\($e.probe)@\($e.dev // "-")"]
	  else . end)
| .pk[]
