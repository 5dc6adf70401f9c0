// Folds text for comparison: lower case, accents removed, compatibility forms unified ("Ｅcole" and "école" match "ecole").

const MARKS = /\p{M}/gu;

export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}
