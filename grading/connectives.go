package grading

import "strings"

// connectiveLists are discourse connectives and subordinating conjunctions
// per language: the markers of how sentences hang together that learner
// corpora show growing from A2 to C1. Multi-word entries match consecutive
// words. Entries are folded at start, so accents here are optional.
var connectiveLists = map[string]string{
	"en": "and|but|because|so|however|therefore|although|though|moreover|furthermore|also|then|first|firstly|secondly|finally|in addition|for example|for instance|on the other hand|as a result|in conclusion|while|whereas|since|unless|instead|otherwise|besides|meanwhile|nevertheless|consequently|thus|hence|if|when|after|before|until|so that|in order to|even though|as well as|in fact|of course",
	"de": "und|aber|denn|weil|dass|deshalb|deswegen|daher|trotzdem|obwohl|außerdem|zuerst|dann|danach|schließlich|also|jedoch|sondern|wenn|als|damit|sodass|so dass|zum beispiel|einerseits|andererseits|auch|ferner|zudem|allerdings|dennoch|falls|bevor|nachdem|während|ob|darum|nämlich|außerdem|zum schluss|erstens|zweitens|im gegensatz",
	"fr": "et|mais|parce que|car|donc|alors|cependant|pourtant|ensuite|puis|enfin|d'abord|aussi|de plus|en outre|par exemple|quand|si|bien que|afin que|pour que|toutefois|néanmoins|par contre|en revanche|ainsi|lorsque|puisque|tandis que|c'est pourquoi|en effet|d'ailleurs",
	"es": "y|pero|porque|entonces|sin embargo|además|aunque|por eso|por lo tanto|luego|después|primero|finalmente|también|cuando|si|mientras|por ejemplo|es decir|así que|pues|no obstante|ya que|por otro lado|en cambio|por último",
	"it": "e|ma|perché|quindi|però|invece|inoltre|anche|poi|dopo|prima|infine|quando|se|mentre|anche se|per esempio|ad esempio|cioè|dunque|comunque|tuttavia|allora|siccome|poiché|oppure|perciò|infatti|sebbene|benché|affinché",
	"pt": "e|mas|porque|então|porém|contudo|também|além disso|depois|primeiro|finalmente|quando|se|enquanto|embora|por exemplo|portanto|assim|pois|ou|no entanto|por isso|ou seja|todavia",
	"nl": "en|maar|want|omdat|dus|daarom|echter|toch|ook|dan|daarna|eerst|tenslotte|als|wanneer|hoewel|bijvoorbeeld|bovendien|terwijl|of|zodat|nadat|voordat|verder|namelijk|ten eerste|aan de andere kant",
	"pl": "i|a|ale|bo|ponieważ|więc|dlatego|jednak|również|też|potem|najpierw|wreszcie|kiedy|gdy|jeśli|jeżeli|chociaż|na przykład|oraz|lub|albo|czyli|natomiast|ponadto|zatem|żeby|aby|poza tym",
	"cs": "a|ale|protože|proto|takže|však|ovšem|také|taky|potom|pak|nejdřív|nejprve|nakonec|když|jestli|jestliže|pokud|i když|například|nebo|ani|tedy|navíc|zatímco|aby|že|totiž|přesto|kromě toho",
	"sv": "och|men|eftersom|därför|så|också|sedan|först|till slut|när|om|fast|trots att|till exempel|dessutom|medan|alltså|eller",
}

// connectives maps a language to its folded connectives, each split into
// words. Built once at package start; read-only afterwards.
var connectives = func() map[string][][]string {
	out := map[string][][]string{}
	for lang, list := range connectiveLists {
		seen := map[string]bool{}
		for c := range strings.SplitSeq(list, "|") {
			f := fold(c)
			if seen[f] {
				continue
			}
			seen[f] = true
			out[lang] = append(out[lang], strings.Fields(f))
		}
	}
	return out
}()

// countConnectives counts connective occurrences (longest match first) and
// how many different ones the text uses.
func countConnectives(lang string, folds []string) (total, distinct int) {
	list := connectives[lang]
	if len(list) == 0 {
		return 0, 0
	}
	used := map[string]bool{}
	for i := 0; i < len(folds); {
		best := 0
		var bestKey string
		for _, c := range list {
			if len(c) <= best || i+len(c) > len(folds) {
				continue
			}
			ok := true
			for j, w := range c {
				if folds[i+j] != w {
					ok = false
					break
				}
			}
			if ok {
				best = len(c)
				bestKey = strings.Join(c, " ")
			}
		}
		if best == 0 {
			i++
			continue
		}
		total++
		used[bestKey] = true
		i += best
	}
	return total, len(used)
}
