import type { LanguageCode } from './vocabulary';

export type NameLocale =
  | 'en-US'
  | 'en-CA'
  | 'fr-CA'
  | 'en-GB'
  | 'de-DE'
  | 'es-ES'
  | 'fr-FR'
  | 'en-AU'
  | 'en-IN';

export interface Surname {
  readonly name: string;
  /** A heritage language a bearer is likelier to speak, if any. */
  readonly language?: LanguageCode;
}

export interface NamePool {
  readonly female: readonly string[];
  readonly male: readonly string[];
  /** Names chosen by non-binary practitioners; falls back to both lists. */
  readonly unisex: readonly string[];
  readonly surnames: readonly Surname[];
  /** Spanish naming: two surnames (paternal then maternal). */
  readonly doubleSurname?: boolean;
}

const words = (list: string): string[] => list.trim().split(/\s+/);

/** "Nguyen:vi" → { name: 'Nguyen', language: 'vi' }; "_" stands for a space inside a name. */
const surnames = (list: string): Surname[] =>
  words(list).map((entry) => {
    const [name = '', language] = entry.split(':');
    const clean = name.replace(/_/g, ' ');
    return language ? { name: clean, language: language as LanguageCode } : { name: clean };
  });

const enUnisex = words('Alex Jordan Taylor Sam Jamie Casey Morgan Riley Avery Robin Quinn Charlie');

const northAmericaEn: NamePool = {
  female: words(
    'Emily Sarah Jessica Ashley Jennifer Amanda Megan Rachel Lauren Hannah Olivia Emma Abigail Madison Grace Natalie Rebecca Katherine Elizabeth Maria Sofia Priya Mei Aisha Danielle Christina Michelle Nicole Allison Caroline Amelia Naomi',
  ),
  male: words(
    'Michael James David John Robert Daniel Matthew Christopher Andrew Joshua Ryan Brian Kevin Jason Eric Jonathan Benjamin Nathan Samuel Thomas William Anthony Carlos Luis Raj Wei Omar Marcus Tyler Ethan Gabriel',
  ),
  unisex: enUnisex,
  surnames: surnames(
    'Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Bennett Hughes Hart Sullivan Reed Brooks Foster Whitaker Caldwell Donovan Hoffman Garcia:es Martinez:es Rodriguez:es Hernandez:es Lopez:es Gonzalez:es Rivera:es Nguyen:vi Tran:vi Kim:ko Park:ko Lee Chen:zh Wang:zh Liu:zh Patel:gu Shah:gu Singh:pa Cohen Goldberg Kowalski:pl Nowak:pl Ivanov:ru Haddad:ar Okafor:ig Santos:pt Silva:pt Yamamoto:ja Tanaka:ja Dubois:fr',
  ),
};

const canadaEn: NamePool = {
  ...northAmericaEn,
  surnames: surnames(
    'Smith Brown Tremblay:fr Martin Roy:fr Wilson MacDonald Gagnon:fr Johnson Taylor Campbell Anderson Leblanc:fr Lee Jones White Williams Miller Thompson Young Scott Fraser Murray Stewart Robertson Ross Morrison Graham Reid Gill:pa Sandhu:pa Singh:pa Grewal:pa Chen:zh Wong:zh Li:zh Zhang:zh Nguyen:vi Santos:tl Reyes:tl Cruz:tl Patel:gu Khan:ur Ali:ar Rossi:it Ferreira:pt Kovalenko:uk Hosseini:fa Kaur:pa Bouchard:fr Côté:fr MacKenzie Sinclair Whitfield Arsenault:fr',
  ),
};

const quebec: NamePool = {
  female: words(
    'Marie Julie Isabelle Catherine Sophie Nathalie Geneviève Chantal Émilie Camille Léa Chloé Audrey Mélanie Valérie Annie Stéphanie Véronique Amélie Gabrielle Josée Marie-Ève',
  ),
  male: words(
    'Jean Pierre Marc Luc François Martin Philippe Mathieu Alexandre Simon Nicolas Étienne Guillaume Louis Olivier Sébastien Vincent Benoît Maxime David Jean-François Félix',
  ),
  unisex: words('Dominique Claude Camille Sacha Alex Andrée'),
  surnames: surnames(
    'Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron Beaulieu Cloutier Dubé Poirier Fournier Lapointe Leclerc Lefebvre Poulin Thibault St-Pierre Nadeau Landry Desjardins Charbonneau Nguyen:vi Haddad:ar Cohen Joseph:ht Jean-Baptiste:ht Rodriguez:es',
  ),
};

const britain: NamePool = {
  female: words(
    'Olivia Amelia Emily Charlotte Sophie Jessica Lucy Hannah Grace Eleanor Alice Rebecca Laura Sarah Katherine Victoria Harriet Imogen Fiona Claire Rachel Joanna Helen Priya Aisha Niamh Siobhan Ffion Isla',
  ),
  male: words(
    'James Oliver William Thomas George Harry Jack Charles Edward Henry Daniel Matthew Samuel Joseph Benjamin Alexander Andrew Richard Christopher David Robert Rhys Callum Hamish Arjun Mohammed Imran Rajesh Tomasz Kwame Ciaran',
  ),
  unisex: enUnisex,
  surnames: surnames(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Hill Cooper Ward Morris Harrison Baker Lewis Young Campbell Stewart MacLeod Fraser Murray Reid Kerr Murphy Kelly O'Brien Pemberton Ashworth Fairbairn Llewellyn Patel:gu Shah:gu Khan:ur Ahmed:ur Hussain:ur Chowdhury:bn Rahman:bn Singh:pa Sharma:hi Kowalski:pl Nowak:pl Okafor:ig Mensah:ak Adeyemi:yo Chen:zh Wong:zh Costa:pt Rossi:it",
  ),
};

const germany: NamePool = {
  female: words(
    'Anna Julia Katharina Laura Lena Sarah Lisa Sophie Hannah Marie Johanna Franziska Christina Sabine Claudia Stefanie Susanne Andrea Nicole Miriam Eva Carolin Theresa Leonie Elif Ayşe Natalia Greta',
  ),
  male: words(
    'Lukas Maximilian Felix Jonas Leon Paul Tobias Florian Sebastian Alexander Stefan Thomas Michael Andreas Christian Markus Daniel Jan Matthias Martin Philipp Johannes Moritz Niklas Benedikt Mehmet Can Dimitri Piotr Yusuf',
  ),
  unisex: words('Kim Luca Sascha Robin Charlie Alex Noah'),
  surnames: surnames(
    'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Huber Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Brandt Seidel Engel Yılmaz:tr Kaya:tr Demir:tr Şahin:tr Öztürk:tr Kowalski:pl Nowak:pl Petrov:ru Popov:ru Haddad:ar Papadopoulos:el Rossi:it Horvat:hr',
  ),
};

const spain: NamePool = {
  female: words(
    'María Lucía Carmen Laura Marta Ana Paula Elena Sara Cristina Isabel Raquel Beatriz Alba Irene Nuria Silvia Patricia Rocío Montserrat Ainhoa Itziar Mireia Pilar Sofía Julia Claudia Noelia',
  ),
  male: words(
    'Javier Alejandro Daniel Pablo David Carlos Sergio Manuel Jorge Adrián Álvaro Miguel Antonio José Francisco Juan Diego Rubén Iván Raúl Jordi Pau Marc Iker Unai Gorka Joan Andrés Luis Íñigo',
  ),
  unisex: words('Alex Ariel Cruz Noa Andrea'),
  surnames: surnames(
    'García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Iglesias Medina Cortés Castillo Lozano Puig:ca Ferrer:ca Vidal:ca Soler:ca Font:ca Pujol:ca Roca:ca Etxeberria:eu Aguirre:eu Goikoetxea:eu Zubizarreta:eu Garmendia:eu',
  ),
  doubleSurname: true,
};

const france: NamePool = {
  female: words(
    'Camille Léa Manon Chloé Emma Inès Sarah Julie Marie Claire Sophie Anne Élodie Céline Aurélie Mathilde Charlotte Pauline Laure Hélène Isabelle Nathalie Juliette Margaux Lucie Alice Amina Yasmine Agnès',
  ),
  male: words(
    'Thomas Nicolas Julien Maxime Alexandre Antoine Pierre Guillaume Romain Hugo Louis Lucas Mathieu Vincent Olivier François Sébastien Jérôme Laurent Arnaud Benoît Baptiste Karim Mehdi Yann Loïc Étienne Cédric',
  ),
  unisex: words('Camille Dominique Claude Sacha Alix Maxime'),
  surnames: surnames(
    'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet François Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Perrin Morin Clément Gauthier Dumont Fontaine Chevalier Robin Marchand Delacroix Carpentier Garcia:es Martinez:es Lopez:es Benali:ar Haddad:ar Mansouri:ar Nguyen:vi Ferreira:pt Rossi:it',
  ),
};

const australia: NamePool = {
  female: words(
    'Olivia Charlotte Mia Amelia Ava Isla Chloe Emily Grace Sophie Jessica Sarah Emma Hannah Lauren Rebecca Kate Megan Georgia Zoe Matilda Ruby Harriet Lily Bianca Mei Priya Eleni',
  ),
  male: words(
    'Oliver Jack William Noah Thomas James Lachlan Liam Ethan Joshua Lucas Harrison Cooper Henry Samuel Daniel Matthew Benjamin Nicholas Ryan Angus Hamish Mitchell Riley Dimitri Minh Raj Tariq',
  ),
  unisex: enUnisex,
  surnames: surnames(
    "Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson Thompson Thomas Walker Harris Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood Jackson Clarke Mitchell Campbell Murphy O'Connor Cooper Baker Edwards Stewart Morris Bell Lee Fitzgerald Kennedy Nguyen:vi Tran:vi Pham:vi Chen:zh Wang:zh Zhang:zh Papadopoulos:el Nikolaidis:el Rossi:it Russo:it Khoury:ar Singh:pa Kumar:hi Patel:gu Park:ko",
  ),
};

const india: NamePool = {
  female: words(
    'Priya Ananya Aishwarya Kavya Divya Sneha Pooja Neha Shreya Meera Lakshmi Deepa Anjali Swati Nandini Radhika Sunita Kavitha Revathi Fatima Zara Simran Aditi Ishita Lavanya Padma Farah',
  ),
  male: words(
    'Rahul Arjun Vikram Rohan Amit Sanjay Rajesh Suresh Ramesh Karthik Arun Anand Vivek Nikhil Siddharth Aditya Manish Prakash Venkatesh Srinivas Imran Faisal Gurpreet Ravi Mohan Abhishek Pranav',
  ),
  unisex: words('Kiran Harpreet Jyoti Sagar'),
  surnames: surnames(
    'Sharma Verma Gupta Agarwal Malhotra Kapoor Khanna Chopra Bhatia Mishra Tiwari Pandey Saxena Srivastava Joshi Mehta:gu Shah:gu Patel:gu Desai:gu Kulkarni:mr Deshpande:mr Patil:mr Jadhav:mr Iyer:ta Iyengar:ta Krishnan:ta Subramanian:ta Raman:ta Reddy:te Rao:te Naidu:te Chowdary:te Nair:ml Menon:ml Pillai:ml Kurian:ml Gowda:kn Hegde:kn Shetty:kn Singh:pa Gill:pa Sandhu:pa Khan:ur Ahmed:ur Siddiqui:ur Qureshi:ur Banerjee:bn Chatterjee:bn Mukherjee:bn Bose:bn',
  ),
};

export const namePools: Readonly<Record<NameLocale, NamePool>> = {
  'en-US': northAmericaEn,
  'en-CA': canadaEn,
  'fr-CA': quebec,
  'en-GB': britain,
  'de-DE': germany,
  'es-ES': spain,
  'fr-FR': france,
  'en-AU': australia,
  'en-IN': india,
};
