import { boundedEditDistance } from '../../util/edit-distance.js';
import type { PronunciationDictionary } from '../pronunciation/cmu-dictionary.js';

/**
 * The 4,000 most frequent plain English words of the general en-us language model that Debian's
 * pocketsphinx-en-us ships (`en-us.lm.bin`, unigrams read with sphinx_lm_convert), most frequent
 * first, profanity left out ("bullshit", "sucks", "pissed" were missed at first: the open
 * pass heard "push it" as "bullshit"). The open command language model mixes them in at a low weight so
 * that words outside Ralex's phrasings are absorbed as words instead of forced into a command.
 */
export const GENERAL_WORDS: readonly string[] = `
the to i and a of you that in it is for but know was have they on like be not it's so with are
one this he yeah just my we as what if do at or don't about i'm all think there would from two
me people can your get out no that's said up more when an had right well hundred really has
thousand will oh because how time them she been by some who their his were now then go good mean
than going her see could much other you're five got three even too only want did him something
very where here way which nine lot make say first years back any new our also over into ah i've
they're year thing still four should work things those take us most didn't why these never
twenty there's need after being can't okay little down kind point actually many day off come
same six before last he's look sure eight money doing pretty around seven always guess dollars
life long yes better probably every we're world does anything maybe school great find doesn't
though big made feel through thirty cause game old put use different stuff ten home may might
used am thought while best since man love own getting another fifty few bad give part percent
live family i'll tell ever gonna again went someone help i'd keep everything play try hard done
enough trying next end away its place far forty talk both ninety real says country kids times
least person bit such million high exactly what's isn't told nothing friends believe let call
having able show else watch ago job nice start once whole house government problem looking
change children each without days found true saying between less week she's seen already
wouldn't makes guy course care name second came sixty pay wasn't talking until making seems
eighty thanks either idea seventy read yet definitely team working city mr left wanted remember
huh fact night business months state number against called half public understand everyone
whatever er almost run friend case took sometimes today must sorry god important wrong started
heard haven't couple minutes hi reason set question system together car games women war hope
states hey stop happened thank guys coming sort small won't fun hear york under let's quite
during agree free wow buy close past food top anyone hours you've saw news side kinda myself
cool mind thinking company deal whether comes happen interesting looks gets later taking young
parents phone ask stay matter please we've united especially power health area american move
rather open usually goes line fifteen sense using men wait story couldn't means however somebody
fine leave become playing lost level water living full often t head funny yourself instead group
college zero happy easy president ones knew others post month hit seem supposed age needs room
experience v asked computer support turn outside issue eat given movie likely hand aren't white
possible face market everybody book wants weeks gone tried certain early police rest you'll
future taken countries problems cost situation woman chance sounds information child twelve
third anyway type mother girl party players bring works check watching win worked basically
black hour lives eleven middle worth hello husband added internet security based cut law son
running control married soon body along paid season wife spend history dog single learn behind
example difficult front america themselves clear huge wanna shows obama order although per
played price class death they've human plan jobs takes father local s south felt amount answer
gave within music absolutely across schools we'll longer economy kill topic knows hold morning
pick ok unless late pounds meet video office difference major happens town word hate companies
needed known moment completely low large general mine enjoy killed national dead building
involved wish totally died you'd walk air north education issues several political study
certainly according places mom service fight community imagine billion crazy moved kid c heart
short ready looked figure sit space cold ways lose sound students list baby gotta changed social
drive street alone worse cannot reading light research turned perhaps reality they'll books hot
current break spent amazing words sports energy lived simply boy process shot wonder california
dad add obviously similar stand higher feeling personal iraq questions listen doctor university
seeing risk strong average near decided relationship older die serious build daughter player
online summer expect available awesome inside military media fire test fast save report hands
private main oil financial n east minimum term u giving poor favorite who's expected finally
program interest choice continue red movies send industry brother interested china common bought
weird rate speak road attack itself sell door fall lol entire shouldn't due americans ahead
allowed decision opinion west brought anymore economic special terms met nobody recently form
forward de worry court starting view nearly telling position girls store attention consider
football miss perfect site bill sent himself points waiting normal force easier trust sick film
tax value series result worst fair act won vote action mm smoking stupid trade except born smoke
anybody eighteen wage miles step return including changes evidence somewhere hurt members bank
extra lots beautiful field share ground biggest moving asking picture total forget race edit
safe fourteen watched plus ball card society uh became record mostly quality truth seriously
super etc comment expensive create eyes paying simple global write d tough travel kept sign
follow minute cat thirteen blood among fan lead meant cases data europe period increase trouble
growing above sitting international calling putting offer weather british rules drink damage
message size access parts personally technology glad seemed effect land families paper allow
hospital english sixteen key quickly population willing opportunity happening art cancer date
credit gotten sad depends reasons luck realize areas none project recent pass account beginning
policy weight sleep role further provide sir gives weren't lower board compared particular
numbers feet built focus cars piece drop round bush ended drug yep fear washington talked calls
final green center sister spending teams television eating bunch medical costs doubt event john
insurance terrible choose campaign christmas computers loved drugs dogs clean o earlier career
match park straight club character honestly rights science subject wall original crisis student
afraid source eventually clearly ability considered towards grew it'll version grow link learned
catch bed training sold beat began gas bet otherwise london unfortunately yesterday prices fit
currently bigger feels election earth easily hair anywhere services held regular explain actual
walking correct respect lack eye box results majority england visit driving touch pain church
liked twice impact fans thousands groups stopped threat tend language popular goal caught
meeting option younger pressure hasn't voice exercise gun helped lucky dude range teachers
learning b decide joke pull teacher events chinese weapons track cover star department reddit
aware trip quick surprised writing fighting afford literally plane wonderful plans development
speed culture la peace hopefully m stage ice charge throw tonight op following concerned l
potential title base brain beyond boys honest dark wrote raise income helps natural search
excuse screen blue winter positive particularly buying non tomorrow p advice success complete
finding ideas stick foreign leaving missing response article legal reach partner fish specific
september plenty seventeen teach stories press bar raised bottom generally growth cash los
league apparently degree effort carry they'd loss nation table workers restaurant slow comments
nature passed weekend dollar budget rich created conversation politics necessarily im train ya
contact song marriage despite model san wear deep avoid crime page protect worried century
climate e rule showed thinks texas double present scene patients nineteen gold prefer cheap
extremely federal missed self army healthy member challenge florida practice floor staff fat
losing environment led ran disease fix millions google hoping fly stock he'll possibly harder
afghanistan statement keeping necessary accept levels religion written fourth removed que island
animals style holiday shut speaking product picked sport female comedy knowing pictures baseball
argument notice radio freedom professional strange cards french ridiculous here's performance
hang dream dinner begin africa mention spot benefit standard suppose welcome european britain
basic nuclear dangerous central cats claim india speech station handle smart brown push daily
individual related alive note turns kinds target sales male impossible likes airport physical
content former received stuck starts modern homes finish neither lines rock address indeed
design immediately rise snow agreed he'd website busy knowledge seconds lady successful violence
forced released network mentioned noticed generation somehow fell we'd decent canada killing
mark count taxes shop leaders approach drinking web selling smaller debate machine draw king
everywhere union benefits join understanding changing ride administration upon standing release
significant truly safety thread hundreds property assume treatment previous horrible whose
obvious advantage banks appreciate suggest trial broke lie heavy quit sunday helping failed
finished doctors color quarter foot responsible broken planning overall cook coast signed coffee
sweet capital whenever image reported world's y comfortable grade cell closer scared production
people's religious interview shoot classes scary judge prime region apart code defense laugh
blame gosh david skin characters powerful audience investment plays products below camera
directly required names showing apartment skills officials decade improve hotel debt warm sea
waste girlfriend prison minister yours official strike fairly solution mistake dot jump taste
leader ship holding mass attacks basketball cup responsibility decisions closed prove bucks
angeles awful programs dr effects affected basis ha hearing michael largest direction dropped
include employees runs sun forces chicago businesses scale email becomes demand random forever
resources nations winning keeps battle friday france secret laws ms scientists balance spread
considering flight tired limited posted sub followed options faster wondering tells becoming bus
remain decades affect wind caused cities effective flying congress beach manager prevent sides
negative opened systems excited depending rates details israel hadn't wearing f throughout
slightly named george holy forgot taught believed planet exist text competition fully customers
onto conditions rent contract heat progress greater normally mad amp illegal larger justice rid
opening purpose jesus western discussion grown active clothes boss meaning entirely mouth mess
parties teaching russia background japan murder prepared mobile eh march activities offered
surprise ain't pet window figured listening recommend bag movement treat markets soldiers troops
ourselves developed council managed proud theory saturday hm episode highly name's designed um
familiar r windows jersey appear band items mission clinton terrorist faith types upset humor
realized concern january highest opposite shape material increased conference fault animal
recession flu leading management shown produce pulled useful germany besides it'd exact letter
newspaper users factor massive adding sale tv iran fantastic director restaurants fund monday
turning direct cross multiple walked alcohol terrorism block pop feelings evening angry setting
appears attempt seat studies remains korea accident wide pets mental survey constantly spring x
wake traffic memory careful therefore till beer dealing rare activity uses apply suddenly brand
fresh mexico lord develop sector bringing civil map various instance software reduce cute
strategy fuel tiny aid excellent admit thoughts require regardless fifth latest boyfriend
separate county researchers crowd officer serve en sites covered values folks treated interests
jokes coach gym corner supply shopping dance confidence reports whom fill southern arms ill
greatest ends birthday returned stayed library grand figures square channel tour lunch
perspective loves bike gain democratic rain bother stars com wild receive shoes agency
originally enjoyed glass hardly evil guns wanting driver condition birth cheaper independent
connection nor actions argue complex shooting context pool behavior lying tree dying feed acting
meat weapon limit republicans ring adult published roll goodness hole magic patient blow cable
concept developing distance solid survive discovered bomb republican tests promise brothers
humans plant gift jack boston yea saved enemy ticket democrats parent adults relatively staying
switch strength pack kick score barely edge remove g joe odd curious pieces german quiet one's
specifically july testing videos h mrs herself facebook perfectly famous discuss kidding camp
talks june failure section matters labour carbon houses stores fixed politicians influence
location wedding shame possibility claims pro posts profit pregnant projects philadelphia boring
japanese australia dating streets reaction friendly proper flat somewhat neat surgery cent
primary aside corporate citizens views emergency path smell pennsylvania chicken stress
experts housing exciting shots northern hobby breaking described arrived commercial deserve
victims organization authorities species alright christian click agreement chances river al
reached arm bowl cutting device boat funding unique included jail drunk bills dry review
appropriate owner captain provided ensure situations checked toward democracy meal standards
apple vehicle disagree spoke records neighborhood copy afternoon opposed april addition tank
bear goals terrorists danger sat senior planned officers equipment tuesday buildings individuals
heads crash pm voters holidays properly net degrees golf guilty universe farm tickets december
critical professor forth intelligence traditional falling dumb chief reasonable mix divorce
eleventh assuming lately relationships signs status firm pc calm core balls legs museum steps
proof extreme estimated funds theater november st creating experienced paul incredibly fail
silly wine manage announced suspect garden conflict village candidate un metal pair
leaves shift photo answers continued muslim truck focused understood unit abuse allows where's
songs served attitude explained skill august hide brings puts talent conservative sudden how's
cooking october nope letting dress james choices bridge incredible album depression split slowly
agent committed measure wars tons replace saving medicine deaths tea criminal suicide recovery
border el lawyer believes file mainly joined exchange she'll math leg offensive equal helpful
facts operation carried engine emotional phones suggested bay button diet fashion era posting
chose collection master laid opportunities lights extent empty francisco mail mid construction
kitchen alternative tom vs filled moon would've appeared shitty protection surface app respond
fake thus additional em spirit spokesman hall district sending unable sharing hero tech victim
ton lotta usual voted fired ignore gear owners ad suffering guard authority coverage efforts tip
row rose wise bodies max plants hanging giant struggle cells babies circumstances russian ban
accounts magazine picking expecting trees candidates server consumers w images moral arrested
films hire reform enter leadership owned concerns mccain mistakes confused sources virginia
favor innocent cuts hits horse ohio trained savings ultimately seasons unlikely virus
essentially stronger se complicated weak entertainment shall cast vision grab muslims requires
maintain digital item causes fox launch ocean consequences carolina mike nervous capable milk
pakistan african update burn wednesday indian competitive dirty michigan produced bottle achieve
lies february vast desire residents sky experiences ending tape smile anti percentage everyday
cheese incident loan pushing variety surely estate cry definition seattle honey banned package
customer poverty marry everybody's rarely labor elected route photos partners pizza hockey smith
escape mode rough moves reply whoever dear relevant stands tool liberal plastic annoying
opinions policies fellow mountain profile suit differently communities earn secure presence
storm crew mile belief info associated governments nah false lay vacation rush drivers soul lake
sentence destroyed confident accepted foundation checking connected violent recognize reference
capacity eastern consumer models appeal buddy facing studying personality solve invest whoa user
sees fewer typical ex chris cops papers linked tested tight hollywood presidential thursday
hill nowhere determine blind differences electricity confirmed fed sets task asia year's
structure continues illness raising hopes shock duty commitment bars determined purchase
emissions manhattan moments retired dunno wins victory whereas typically harm sleeping salary
artist mate shared via classic today's passing placed graduate nowadays pushed chain ooh warming
investors annual senate challenges creative pre nose olympics schedule chat cultural aspect
elsewhere revenue panic steam suffer shirt throwing accurate hitting warning intended deliver
counter voting deck stood vehicles cents notes deals acceptable encourage struggling describe
claimed scientific graduated injured atmosphere elections injury offers she'd disappointed idiot
rising sake wave loud convinced minds mixed automatically increasing compare matches insane
previously stadium advertising noise bathroom granted spanish destroy van yup domestic doors
journey decline paris keys carrying honor marketing locked laughing ages birds combat leads
anyways driven tools cant request mortgage attractive ordered parking identify communication
bird cap yard centre gaming unusual georgia complain knife analysis established investigation
italian badly cream crying dozen bro battery cares initial riot sugar lovely recall retirement
mystery divorced faces votes suggests charges load method pages sorts jewish yo vice roughly
hobbies equivalent cycle function survivor pace charged gender seats letters bedroom committee
disaster includes gap prepare pocket stone advance sight pointed unlike k identity lock barack
priority ireland defend catholic country's paint minor prize richard lab trading amazon lesson
loans id frame guide twitter woods feature bright falls introduced features regularly chest
tennis winner auto habit silver unemployment completed refused solar constant environmental
scotland lane temperature minority someone's dreams golden promised efficient plot sisters
advanced occasionally seek upper detail sam object soccer trick nights islam clubs sixth pure
powers lifetime transfer salt atlanta monitor steve exposed athletes breaks pleasure drove
thrown fallen quote peter offering til that'd da orange cop drama topics mood display allowing
stream neighbors tries prior pants combination uncle beauty circle desk saddam bible blah
explanation scheme factors units host perform messages providing afterwards harry teeth flow
absolute attacked hmm neck print lazy chosen pulling killer lift actor error logic tips that'll
theme ads hungry o'clock electric celebrate jones positions hilarious arts asian links immediate
recording wealth largely colleagues wood applied rely friendship sensitive repeat youtube rooms
forms wing healthcare offense thin artists existing secretary brilliant exists length outcome q
armed everyone's adds compete physically clock represent aim engineering stations commission
chair measures tall reduced suffered risks referring roof association rural kills relative threw
knock examples tournament hated bonus martin racist replaced ought breakfast volunteer
supporting guarantee studio laptop gross charity frank amounts pot operations hired phase
cigarettes impression ideal robert drawing revolution queen oldest operating memories
uncomfortable causing tony soft swear flag steal pilot finance destruction limits participate
lawyers download orders hat ugly boom ours potentially turkey sing confirm tied affects depend
fingers writer ladies scenario author rescue traveling extended cameras outdoor stable listed
tube machines iron pitch spell technically walls le launched bye invited tag royal fought riding
connect executive enemies devices relax technical comparison husband's occurred fantasy tone
recorded egg parliament client cigarette relatives hidden commit bob increasingly regret
legislation chocolate clue mayor breath ben planes payment enjoying youth agenda application
trend charlie drawn lifestyle christ italy importance impressive anger stretch upgrade roads
injuries j submission improved severe clients tower vaccine wheel blocks eggs valuable actors es
meanwhile opposition governor ups assets bored existence nuts swimming supported censorship
monster odds colors fee hunter expert aggressive institutions finger usa dallas license collect
surprising mountains nearby collapse pattern valley headed native factory express pretend bags
yellow journal ate approved vegas microsoft kicked statistics initially reminds privacy convince
routine jury pound beliefs downtown naturally rice millionaire ray shocked teenagers children's
sadly tie jim accent faced jackson burning lowest admitted dancing brooklyn communicate daddy
expectations sexy worker identified heavily campus heading therapy provides childhood favourite
versus signal lessons johnson vulnerable visited acts loose classroom react wherever relations
foods senator banking closely attached mum intelligent port handed kiss ordinary asleep holds
fees hurts bond shoulder heck boost loving bread dig forgotten platform conclusion struck
combined cousin shower pays cake drinks hoped essential waited volume supreme reporters
correctly estimates arguments intense remaining crimes gordon height santa breast desperate
comfort survival inches sooner located fishing las draft scenes institute fields raw gates
controlled urban significantly steel blog championship educated resolution ultimate
cleaning finds infrastructure nasty hiding potato relief arizona goods experiment painful settle
consistent flash presented billions equally improvement sarah canadian closest wet arrest wash
sometime passion command complaining materials deficit permanent spoken stomach symptoms
division delivered effectively checks telephone plate novel irish awkward asks mod earned belong
tears useless squad regarding answered aspects drives ancient anxiety files bin searching
affirmative manner medium employee losses butt portion visiting ships women's assumed episodes
reputation forest stated proven fruit dragon bite mouse witness mirror diagnosed penalty
painting solo expand remote citizen seeking aged teenager joy remind seventh deeply hook
worldwide sons aircraft agencies refuse channels habits informed dedicated soviet junior crack
trials elements mary threatened patch safer strikes welfare racing generations serving hospitals
champion jumped jews rolling screw frankly walks vietnam singing engaged practical category
grandmother homeless tradition noted mother's begins hillary pointing award eighth visitors
thomas proved stolen chemical enormous guessing iraqi attend minus mothers peak newspapers
overseas reporting feedback root session entered congratulations somebody's spain beating
networks fights shake inflation timing shipping plain bug realistic delivery relate format shops
boxes minnesota threats passengers detroit flew grocery impressed revealed hurry increases
pleased broad adopted creation medication oregon applications frequently holes description
supposedly armor handful constitution shares panel stops studied ed dramatic merely stays navy
cheating fits nurse trash farmers wondered promote playoffs bench profits bout smoked exception
contest prince pride reward hunt happiness explains everything's aids crucial daughters
qualified internal dropping person's criticism diego returning toilet articles targets
contribute operate lee accused empire strongly hung soldier dust inspired comic olds muscle
drops stats meetings element wales conversations continuing america's yards man's depth fancy
remained juice hunting frustrating industrial lo educational employment programme olympic
republic flip regime transport belt jay facility supplies williams legitimate adam appearance
evolution heroes unknown genetic desert races arguing protected valid sounded terror calories
retail invested garbage offended titles disgusting shadow punch selection arrive ear con closing
alert firms invite partly bell festival tracks buried assistance reaching trigger grant
receiving sword screaming naked meals estimate motion philosophy trillion et grass else's
could've sand jumping stopping bullet succeed pokemon regard widely academy miami remembered
tragedy hum scott historical bound corporations servers mexican reverse achieved fitness gate
brazil clothing contrast deserves solutions obama's realised recover challenging expansion raid
payments sharp knee instant suggestion organizations courses household expense reflect euros
flowers install shield youngest blown rude extraordinary elite burned engage fundamental
difficulty tends hurting arab bone rip emotions vital awareness agents maximum occur proposed
swim kevin failing garage colorado pray transition weed spin hardware abroad bothered occasion
supporters couples owe nick settings bombs joint tens father's permission dates ruin sample
spare saudi thanksgiving entry warned reserve gulf attorney coal settled islamic ears humanity
worries hardest writers heaven depressed phrase wealthy guy's carefully defensive dressed
fiction twentieth unfair unbelievable celebrity currency mall subway discovery grateful shortly
inner protest gorgeous represents homework beijing woke economics hiring notion stimulus
entitled elementary founded thick screwed charles survived bits goodbye installed bloody forum
burden scores alex dare gained poll masters aunt independence stake contracts discover si
academic judges bang registered transportation immigrants fool documents expenses input returns
bugs deeper guitar luckily bubble jealous allergies temporary dan legacy virtually begun
attracted hooked reliable discussed readers justify worrying pen touched korean gang suggesting
define exposure butter listened horror facilities delay houston horses elderly mini drag dealt
fate script climb inch apologize entertaining engineer explore universal pin trips argued cure
disappeared towns weekends spots generate chase anniversary forgive angle unfortunate satellite
latter menu proposal corruption label territory family's reduction passes switched critics
interviews scare blast log conservatives default behaviour mac principle subjects attacking
vegetables afghan kansas bones swing brave grace immune breathing dies counts stability tiger
protecting punishment storage neighbor delete hearts consumption exercising infection rank
introduce frozen candy tear indiana picks pink ford tho courts musical tune managers mentally
murdered arena brief keyboard matt shelter improving grandparents purposes deny fortune silence
weekly breathe repair encouraged defeat eve ryan airline xbox drew casual laughed maps scheduled
disney opponent reviews console salaries wages genius fascinating explaining dependent broadcast
latin tier journalists maintenance setup airplane select toys messed flights ugh quarters
statements mainstream languages resistance wire polls sauce iowa gods immigration recognition
glasses lied visible luxury couch physics shiny choosing dozens disabled israeli organisation
predict should've concert establish delicious commander ninth hiv practically henry sacrifice
gifts maryland formula tap discussing capture demands christians rocket brian counting throat
ignored karma focusing involve kit gossip barrel flair kennedy politically smoker invasion
biological judgment commercials wider freak suggestions compromise hip stole sufficient bears
methods stocks na secondary clever skip yankees expression stem anytime andrew voices detective
highway rings romantic airlines legally pursue manufacturing objective illinois versions backed
diseases bat audio beaten formed responded tennessee jimmy producing convention earthquake
assistant controls discipline tackle string wont mom's austin properties boots
`
  .split(/\s+/)
  .filter(Boolean);

/** Each phoneme as one character, so phoneme strings compare with the shared edit distance. */
const PHONEME_CHARS = new Map<string, string>();

/** The phonemes of a word (stress marks dropped), from its first pronunciation, a character each; '' if unknown. */
function phonemes(word: string, dictionary: PronunciationDictionary): string {
  let out = '';
  for (const phoneme of (dictionary.get(word)?.[0] ?? '').replace(/\d/g, '').split(' ')) {
    if (!phoneme) continue;
    let char = PHONEME_CHARS.get(phoneme);
    if (!char) {
      char = String.fromCharCode(0x100 + PHONEME_CHARS.size);
      PHONEME_CHARS.set(phoneme, char);
    }
    out += char;
  }
  return out;
}

/** General words more frequent than this are kept even when they sound like a control phrase ("and", "put"): requests need them. */
export const KEEP_FREQUENT = 500;

/**
 * The general words without those one phoneme away from a control phrase (`phrases`, e.g. every
 * undo/redo/push/commit phrasing), outside the `KEEP_FREQUENT` most frequent: such a word only
 * rivals the control word in the open pass ("push" heard as "pull", "push it" as "pushing",
 * "commit it" as "committed"), so the passes disagree on a control word that was said. The
 * control words themselves stay.
 */
export function withoutControlNeighbours(
  words: readonly string[],
  phrases: readonly string[],
  dictionary: PronunciationDictionary,
): string[] {
  const controls = phrases
    .map((p) =>
      p
        .split(' ')
        .map((w) => phonemes(w, dictionary))
        .join(''),
    )
    .filter((p) => p.length > 0);
  return words.filter((word, rank) => {
    if (rank < KEEP_FREQUENT) return true;
    const own = phonemes(word, dictionary);
    if (own.length === 0) return true;
    // One phoneme away, from a phrase of three or more (one edit is then under half of it).
    return !controls.some((c) => c.length > 2 && boundedEditDistance(own, c, 1) === 1);
  });
}
